using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>pool</c>: a sequence over its steps, or an image over its pixels.</summary>
internal sealed class PoolOp : OpDefinition
{
    public override string Name => "pool";

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Enum("mode", "mean", "mean", "max", "min", "first", "last"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        var input = context.Inputs[0];
        if (!context.RequireKinds(input, ModalityKind.Sequence, ModalityKind.Image))
        {
            return null;
        }

        string mode = context.Attributes.Text("mode");
        if (input.Value.Kind == ModalityKind.Image && mode is "first" or "last")
        {
            context.Precondition(context.Attributes.LocationOf("mode"), $"pool mode '{mode}' needs a sequence; an image of {context.Consumer} pools with mean, max or min");
            return null;
        }

        int width = input.Value.Kind == ModalityKind.Image ? input.Shape[0] : input.Width;
        return OpOutput.Of(new ValueInfo(Shape.Of(width), ModalityKind.Vector, null, input.Value.RootModality));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
    }
}
