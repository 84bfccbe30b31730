using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>modality_dropout</c>: in training, zeroes whole inputs with probability p (never all); one member per input.</summary>
internal sealed class ModalityDropoutOp : OpDefinition
{
    public override string Name => "modality_dropout";

    public override bool TakesSeveralInputs => true;

    public override bool IsMultiOutput => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Float("p", 0.2, ValueRange.Probability),
    ];

    public override OpOutput? Infer(OpContext context) =>
        OpOutput.OfMembers(context.Inputs.Select(i => (i.Name, i.Value)).ToList());

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
    }
}
