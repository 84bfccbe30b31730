using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>conv1d</c>: a 1-D convolution over the steps of a sequence.</summary>
internal sealed class Conv1dOp : OpDefinition
{
    public override string Name => "conv1d";

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("channels"),
        AttributeSchema.Int("kernel", 3),
        AttributeSchema.Int("stride", 1),
        AttributeSchema.Int("padding", 0, ValueRange.NonNegative),
        AttributeSchema.Activation(),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        var input = context.Inputs[0];
        if (!context.RequireKind(input, ModalityKind.Sequence) || !ConvolutionLength.Check(context, input.Shape[0], "length"))
        {
            return null;
        }

        var a = context.Attributes;
        int length = ConvolutionLength.Of(input.Shape[0], a.Int("kernel"), a.Int("stride"), a.Int("padding"));
        return OpOutput.Of(input.Value with { Shape = Shape.Of(length, a.Int("channels")) });
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int channels = node.Attributes.GetInt("channels");
        sink.Add("weight", channels, node.Inputs[0].Shape.Width, node.Attributes.GetInt("kernel"));
        sink.Add("bias", channels);
    }
}
