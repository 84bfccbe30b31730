using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit.Ops;

/// <summary>Emits the context section and the cbmf node (methods.md section 1).</summary>
internal static class CbmfEmission
{
    private const string Ops = "global::Fusion.Runtime.Operators.";

    /// <summary>The prefix of the values that hold each modality's <c>k_m</c>: <c>values["context:" + modality]</c>.</summary>
    private const string ContextValue = "context:";

    /// <summary>
    /// The context section: registers its module (first in state-dict order), adds the statements that
    /// compute every <c>k_m</c> at the top of <c>Forward</c>, and defines <c>values["context:" + modality]</c>.
    /// Reports FUS200 at the section when not supported.
    /// </summary>
    public static void Context(ModelPlan plan, ContextSpec context, NameScope members, NameScope locals, IDictionary<string, string> values)
    {
        string type = Ops + "ContextVectors";
        string modalities = "[" + string.Join(", ", context.Modalities.Select(CSharpLiterals.String)) + "]";
        string constructor = $"new {type}({modalities}, {context.Width}, {CSharpLiterals.Float(context.Std)}, " +
            $"{CSharpLiterals.IntList(context.Mlp)}, {context.Out}, generator)";
        string field = members.Claim("context");
        plan.Modules.Add(new ModulePlan(field, type, "context", constructor));
        string local = locals.Claim("context");
        plan.Forward.Add(new StatementPlan(local, $"this.{field}.Forward()"));
        for (int i = 0; i < context.Modalities.Count; i++)
        {
            values[ContextValue + context.Modalities[i]] = $"{local}[{i}]";
        }
    }

    /// <summary>The node's emission, or null when the op is not supported (FUS200 at the node).</summary>
    public static NodeEmission? Node(NodeContext context)
    {
        var a = context.Attributes;
        var contexts = new List<string>();
        foreach (var modality in a.GetTextList("contexts"))
        {
            if (!context.Values.TryGetValue(ContextValue + modality, out var k))
            {
                return null;
            }

            contexts.Add(k);
        }

        string type = Ops + "DeepFusionEncoder";
        string constructor = $"new {type}({context.Node.Inputs[0].Shape.Width}, {Ops}ContextCombineMode.{Identifiers.Pascal(a.GetText("combine"))}, " +
            $"layers: {a.GetInt("layers")}, heads: {a.GetInt("heads")}, feedForward: {a.GetInt("ff")}, dropout: {CSharpLiterals.Float(a.GetFloat("dropout"))}, " +
            $"pool: {Ops}PoolMode.{Identifiers.Pascal(a.GetText("pool"))}, generator, tanh: {CSharpLiterals.Bool(a.GetBool("tanh"))})";
        string lengths = "[" + string.Join(", ", context.InputLengths) + "]";
        string call = $"this.FIELD.Forward({context.List}, {lengths}, [{string.Join(", ", contexts)}])";
        return NodeEmission.Module(type, constructor, call);
    }
}
