using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>weighted</c>: <c>sum_m a_m x_m</c> with learnable <c>a</c>, optionally softmax-normalised.</summary>
internal sealed class WeightedOp : OpDefinition
{
    public override string Name => "weighted";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Enum("normalize", "softmax", "softmax", "none"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        if (!context.RequireAllVectors() || !InputChecks.EqualWidths(context, "a vector"))
        {
            return null;
        }

        return OpOutput.Of(new ValueInfo(Shape.Of(context.Inputs[0].Width), ModalityKind.Vector));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink) => sink.Add("weights", node.Inputs.Count);
}
