using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>tensor</c>: TFN's outer product of <c>[1; x_m]</c>, flattened: <c>prod (d_m + 1)</c> features.</summary>
internal sealed class TensorOp : OpDefinition
{
    public override string Name => "tensor";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } = [];

    public override OpOutput? Infer(OpContext context)
    {
        if (!context.RequireAllVectors())
        {
            return null;
        }

        long width = 1;
        foreach (var input in context.Inputs)
        {
            width *= input.Width + 1;
        }

        if (width > int.MaxValue)
        {
            context.Precondition(context.Location, $"{context.Consumer} would have {width} features, more than a tensor axis can hold; shrink its inputs");
            return null;
        }

        return OpOutput.Of(new ValueInfo(Shape.Of((int)width), ModalityKind.Vector));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
    }
}
