using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>projection</c>: CBMF's projection head, Linear, GELU, Linear, Dropout, LayerNorm.</summary>
internal sealed class ProjectionOp : OpDefinition
{
    public override string Name => "projection";

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("out", 256),
        AttributeSchema.Dropout(0.1),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        var input = context.Inputs[0];
        if (!context.RequireKinds(input, ModalityKind.Vector, ModalityKind.Sequence))
        {
            return null;
        }

        return OpOutput.Of(input.Value with { Shape = MlpBlock.PerToken(input.Shape, context.Attributes.Int("out")) });
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int outWidth = node.Attributes.GetInt("out");
        sink.Linear("fc1", outWidth, node.Inputs[0].Shape.Width);
        sink.Linear("fc2", outWidth, outWidth);
        sink.Norm("norm", outWidth);
    }
}
