using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit.Ops;

/// <summary>Emits misa and its node losses: cmd, difference, reconstruction (methods.md section 4).</summary>
internal static class MisaEmission
{
    /// <summary>The node's emission, or null when the op is not supported (FUS200 at the node).</summary>
    public static NodeEmission? Node(NodeContext context)
    {
        _ = context;
        return null;
    }

    /// <summary>The expression of a loss on one of this family's nodes, or null when not supported (FUS200 at the loss).</summary>
    public static string? Loss(NodeLossContext context)
    {
        _ = context;
        return null;
    }
}
