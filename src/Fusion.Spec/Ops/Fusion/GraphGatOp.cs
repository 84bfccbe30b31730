using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>graph_gat</c>: graph attention layers (self loops, ELU) over the input vectors, read out.</summary>
internal sealed class GraphGatOp : OpDefinition
{
    public override string Name => "graph_gat";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("width"),
        AttributeSchema.Int("heads", 1),
        AttributeSchema.Int("layers", 1, ValueRange.LayerCount),
        AttributeSchema.ComputedPairList("edges"),
        AttributeSchema.Enum("readout", "mean", "mean", "concat"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        if (!context.RequireAllVectors() | !GraphEdges.Resolve(context))
        {
            return null;
        }

        var a = context.Attributes;
        int nodeWidth = a.Int("heads") * a.Int("width");
        int outWidth = a.Text("readout") == "concat" ? context.Inputs.Count * nodeWidth : nodeWidth;
        return OpOutput.Of(new ValueInfo(Shape.Of(outWidth), ModalityKind.Vector));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int width = node.Attributes.GetInt("width");
        int heads = node.Attributes.GetInt("heads");
        GraphEdges.AddProjections(node, sink, width);
        for (int i = 0; i < node.Attributes.GetInt("layers"); i++)
        {
            int inWidth = i == 0 ? width : heads * width;
            sink.Add($"layers.{i}.weight", heads * width, inWidth);
            sink.Add($"layers.{i}.attention", heads, 2 * width);
            sink.Add($"layers.{i}.bias", heads * width);
        }
    }
}
