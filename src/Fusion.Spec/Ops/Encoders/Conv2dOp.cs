using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>conv2d</c>: a 2-D convolution over an image, square kernel.</summary>
internal sealed class Conv2dOp : OpDefinition
{
    public override string Name => "conv2d";

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
        if (!context.RequireKind(input, ModalityKind.Image)
            || !ConvolutionLength.Check(context, input.Shape[1], "height")
            || !ConvolutionLength.Check(context, input.Shape[2], "width"))
        {
            return null;
        }

        var a = context.Attributes;
        int k = a.Int("kernel"), s = a.Int("stride"), p = a.Int("padding");
        var shape = Shape.Of(a.Int("channels"), ConvolutionLength.Of(input.Shape[1], k, s, p), ConvolutionLength.Of(input.Shape[2], k, s, p));
        return OpOutput.Of(input.Value with { Shape = shape });
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int channels = node.Attributes.GetInt("channels");
        int k = node.Attributes.GetInt("kernel");
        sink.Add("weight", channels, node.Inputs[0].Shape[0], k, k);
        sink.Add("bias", channels);
    }
}
