using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>gmu</c>: gated multimodal unit; a sigmoid gate for 2 inputs, a softmax over inputs for more.</summary>
internal sealed class GmuOp : OpDefinition
{
    public override string Name => "gmu";

    public override bool TakesSeveralInputs => true;

    public override int MinInputs => 2;

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
            sink.Linear($"hidden.{input.InputName}", outWidth, input.Shape.Width, bias: false);
        }

        int gates = node.Inputs.Count == 2 ? outWidth : node.Inputs.Count * outWidth;
        sink.Linear("gate", gates, InputChecks.SumOfWidths(node.Inputs), bias: false);
    }
}
