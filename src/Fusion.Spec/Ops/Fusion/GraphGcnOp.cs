using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>graph_gcn</c>: input vectors as graph nodes, GCN layers over <c>A + I</c>, read out.</summary>
internal sealed class GraphGcnOp : OpDefinition
{
    public override string Name => "graph_gcn";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("width"),
        AttributeSchema.Int("layers", 2, ValueRange.LayerCount),
        AttributeSchema.ComputedPairList("edges"),
        AttributeSchema.Activation(),
        AttributeSchema.Enum("readout", "mean", "mean", "concat"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        if (!context.RequireAllVectors() | !GraphEdges.Resolve(context))
        {
            return null;
        }

        var a = context.Attributes;
        var names = context.Inputs.Select(i => i.Name).ToList();
        if (names.Count > 1 && GraphEdges.IsFullyConnected(names, a.PairList("edges")))
        {
            context.Report(DiagnosticDescriptors.DegenerateSetting(
                a.IsExplicit("edges") ? a.LocationOf("edges") : context.Location,
                $"{context.Consumer} runs a GCN over a fully connected graph: every node receives the same aggregate, so the graph adds nothing; declare 'edges' or use graph_gat"));
        }

        int width = a.Int("width");
        int outWidth = a.Text("readout") == "concat" ? context.Inputs.Count * width : width;
        return OpOutput.Of(new ValueInfo(Shape.Of(outWidth), ModalityKind.Vector));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int width = node.Attributes.GetInt("width");
        GraphEdges.AddProjections(node, sink, width);
        for (int i = 0; i < node.Attributes.GetInt("layers"); i++)
        {
            sink.Linear($"layers.{i}", width, width);
        }
    }
}
