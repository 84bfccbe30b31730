using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit.Ops;

/// <summary>Emits graph_gcn and graph_gat over modality nodes (methods.md section 2).</summary>
internal static class GraphEmission
{
    /// <summary>The node's emission, or null when the op is not supported (FUS200 at the node).</summary>
    public static NodeEmission? Node(NodeContext context)
    {
        _ = context;
        return null;
    }
}
