using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>lowrank</c>: LMF, rank-R factors per input, <c>fusion_weights [R]</c>, <c>fusion_bias [D]</c>.</summary>
internal sealed class LowRankOp : OpDefinition
{
    public override string Name => "lowrank";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("rank"),
        AttributeSchema.Int("out"),
    ];

    public override OpOutput? Infer(OpContext context) =>
        context.RequireAllVectors() ? OpOutput.Of(new ValueInfo(Shape.Of(context.Attributes.Int("out")), ModalityKind.Vector)) : null;

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int rank = node.Attributes.GetInt("rank");
        int outWidth = node.Attributes.GetInt("out");
        foreach (var input in node.Inputs)
        {
            sink.Add($"factors.{input.InputName}", rank, input.Shape.Width + 1, outWidth);
        }

        sink.Add("fusion_weights", rank);
        sink.Add("fusion_bias", outWidth);
    }
}
