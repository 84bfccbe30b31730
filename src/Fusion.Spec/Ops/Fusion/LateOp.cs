using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>late</c>: one Linear head per input, the outputs combined by mean, learned weights or vote.</summary>
internal sealed class LateOp : OpDefinition
{
    public override string Name => "late";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("out"),
        AttributeSchema.Enum("combine", "mean", "mean", "weighted", "vote"),
    ];

    public override OpOutput? Infer(OpContext context) =>
        context.RequireAllVectors() ? OpOutput.Of(new ValueInfo(Shape.Of(context.Attributes.Int("out")), ModalityKind.Vector)) : null;

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int outWidth = node.Attributes.GetInt("out");
        foreach (var input in node.Inputs)
        {
            sink.Linear($"heads.{input.InputName}", outWidth, input.Shape.Width);
        }

        if (node.Attributes.GetText("combine") == "weighted")
        {
            sink.Add("weights", node.Inputs.Count);
        }
    }
}
