using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit.Ops;

/// <summary>Emits the context section and the cbmf node (methods.md section 1).</summary>
internal static class CbmfEmission
{
    /// <summary>
    /// The context section: registers its module (first in state-dict order), adds the statements that
    /// compute every <c>k_m</c> at the top of <c>Forward</c>, and defines <c>values["context:" + modality]</c>.
    /// Reports FUS200 at the section when not supported.
    /// </summary>
    public static void Context(ModelPlan plan, ContextSpec context, NameScope members, NameScope locals, IDictionary<string, string> values)
    {
        _ = members;
        _ = locals;
        _ = values;
        plan.Diagnostics.Add(EmitDiagnostics.UnsupportedContext(context.Location));
    }

    /// <summary>The node's emission, or null when the op is not supported (FUS200 at the node).</summary>
    public static NodeEmission? Node(NodeContext context)
    {
        _ = context;
        return null;
    }
}
