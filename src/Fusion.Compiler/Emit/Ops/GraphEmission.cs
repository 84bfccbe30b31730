using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit.Ops;

/// <summary>
/// Emits graph_gcn and graph_gat over modality nodes (methods.md sections 0 and 2): the runtime's
/// <c>GraphConvolutionFusion</c> and <c>GraphAttentionFusion</c>, with the node's inputs, its
/// <c>edges</c> (the IR holds them as name pairs; the checker fills in all pairs when none are declared)
/// and its readout.
/// </summary>
internal static class GraphEmission
{
    private const string Ops = "global::Fusion.Runtime.Operators.";
    private const string Nn = "global::Fusion.Runtime.Nn.";

    /// <summary>The node's emission, or null when the op is not supported (FUS200 at the node).</summary>
    public static NodeEmission? Node(NodeContext context)
    {
        var node = context.Node;
        var a = context.Attributes;
        if (node.Inputs.Any(i => i.Kind != ModalityKind.Vector))
        {
            return null;
        }

        string inputs = "[" + string.Join(", ", node.Inputs.Select(i => $"new {Ops}InputWidth({CSharpLiterals.String(i.InputName)}, {CSharpLiterals.Int(i.Shape.Width)})")) + "]";
        string edges = Edges(node);
        string readout = $"{Ops}GraphReadout.{Identifiers.Pascal(a.GetText("readout"))}";
        string width = CSharpLiterals.Int(a.GetInt("width"));
        string layers = CSharpLiterals.Int(a.GetInt("layers"));
        string call = $"this.FIELD.Forward({context.List})";
        switch (node.Op)
        {
            case "graph_gcn":
            {
                string type = Ops + "GraphConvolutionFusion";
                string activation = $"{Nn}Activation.{Identifiers.Pascal(a.GetText("activation"))}";
                return NodeEmission.Module(
                    type,
                    $"new {type}({inputs}, width: {width}, layers: {layers}, edges: {edges}, activation: {activation}, readout: {readout}, generator)",
                    call);
            }

            case "graph_gat":
            {
                string type = Ops + "GraphAttentionFusion";
                string heads = CSharpLiterals.Int(a.GetInt("heads"));
                return NodeEmission.Module(
                    type,
                    $"new {type}({inputs}, width: {width}, heads: {heads}, layers: {layers}, edges: {edges}, readout: {readout}, generator)",
                    call);
            }

            default:
                return null;
        }
    }

    /// <summary>The edges as a collection of name tuples, <c>[("text_h", "audio_h"), ...]</c>; all pairs in input order when the IR holds none.</summary>
    private static string Edges(NodeSpec node)
    {
        IEnumerable<(string First, string Second)> pairs;
        if (node.Attributes.Find("edges") is AttributeValue.PairList declared)
        {
            pairs = declared.Values.Select(e => (e.First, e.Second));
        }
        else
        {
            var names = node.Inputs.Select(i => i.InputName).ToList();
            pairs = names.SelectMany((first, i) => names.Skip(i + 1).Select(second => (first, second)));
        }

        return "[" + string.Join(", ", pairs.Select(p => $"({CSharpLiterals.String(p.First)}, {CSharpLiterals.String(p.Second)})")) + "]";
    }
}
