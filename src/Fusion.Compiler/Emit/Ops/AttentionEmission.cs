using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit.Ops;

/// <summary>Emits cross_attention (MulT), self_attention and co_attention (methods.md section 2).</summary>
internal static class AttentionEmission
{
    /// <summary>The node's emission, or null when the op is not supported (FUS200 at the node).</summary>
    public static NodeEmission? Node(NodeContext context)
    {
        _ = context;
        return null;
    }
}
