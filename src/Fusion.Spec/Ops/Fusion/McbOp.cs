using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary>
/// <c>mcb</c>: compact bilinear pooling of two vectors through fixed count sketches. No
/// trainable tensors; the sketches are buffers <c>sketches.&lt;input&gt;.index</c> and
/// <c>.sign</c>, <c>[d_m]</c> each (the hash bucket in [0, out) and the sign of every row).
/// </summary>
internal sealed class McbOp : OpDefinition
{
    public override string Name => "mcb";

    public override bool TakesSeveralInputs => true;

    public override int MinInputs => 2;

    public override int MaxInputs => 2;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("out", 16000),
        AttributeSchema.Bool("signed_sqrt", false),
        AttributeSchema.Bool("l2_normalize", false),
        AttributeSchema.Int("seed", 0, ValueRange.NonNegative),
    ];

    public override OpOutput? Infer(OpContext context) =>
        context.RequireAllVectors() ? OpOutput.Of(new ValueInfo(Shape.Of(context.Attributes.Int("out")), ModalityKind.Vector)) : null;

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
    }

    public override void AddBuffers(NodeSpec node, ParameterSink sink)
    {
        foreach (var input in node.Inputs)
        {
            sink.Add($"sketches.{input.InputName}.index", input.Shape.Width);
            sink.Add($"sketches.{input.InputName}.sign", input.Shape.Width);
        }
    }
}
