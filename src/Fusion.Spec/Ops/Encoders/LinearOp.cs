using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>linear</c>: one Linear layer applied per token.</summary>
internal sealed class LinearOp : OpDefinition
{
    public override string Name => "linear";

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("out"),
        AttributeSchema.Bool("bias", true),
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

    public override void AddParameters(NodeSpec node, ParameterSink sink) =>
        sink.Linear("", node.Attributes.GetInt("out"), node.Inputs[0].Shape.Width, node.Attributes.GetBool("bias"));
}
