using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>transformer</c>: a stack of PyTorch TransformerEncoderLayers over a sequence.</summary>
internal sealed class TransformerOp : OpDefinition
{
    public override string Name => "transformer";

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("layers", 1, ValueRange.LayerCount),
        AttributeSchema.Int("heads", 4),
        AttributeSchema.Int("ff", 2048),
        AttributeSchema.Dropout(0.1),
        AttributeSchema.Enum("activation", "relu", "relu", "gelu"),
        AttributeSchema.Bool("norm_first", false),
        AttributeSchema.Enum("positional", "none", "none", "sinusoidal"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        var input = context.Inputs[0];
        if (!context.RequireKind(input, ModalityKind.Sequence) || !TransformerBlock.CheckHeads(context, input.Width, "the input width"))
        {
            return null;
        }

        return OpOutput.Of(input.Value);
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink) =>
        TransformerBlock.AddParameters(sink, node.Attributes.GetInt("layers"), node.Inputs[0].Shape.Width, node.Attributes.GetInt("ff"));
}
