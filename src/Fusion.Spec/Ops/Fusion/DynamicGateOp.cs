using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>dynamic_gate</c>: per-sample softmax gates over projected inputs.</summary>
internal sealed class DynamicGateOp : OpDefinition
{
    public override string Name => "dynamic_gate";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("out"),
    ];

    public override OpOutput? Infer(OpContext context) =>
        context.RequireAllVectors() ? OpOutput.Of(new ValueInfo(Shape.Of(context.Attributes.Int("out")), ModalityKind.Vector)) : null;

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int outWidth = node.Attributes.GetInt("out");
        foreach (var input in node.Inputs)
        {
            sink.Linear($"proj.{input.InputName}", outWidth, input.Shape.Width);
        }

        sink.Linear("gate", node.Inputs.Count, InputChecks.SumOfWidths(node.Inputs));
    }
}
