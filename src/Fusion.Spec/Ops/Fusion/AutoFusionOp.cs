using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>autofusion</c>: compresses the concatenated inputs to a latent, with a reconstruction loss.</summary>
internal sealed class AutoFusionOp : OpDefinition
{
    public override string Name => "autofusion";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("latent"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        if (!context.RequireAllVectors())
        {
            return null;
        }

        int features = context.Inputs.Sum(i => i.Width);
        if (features % 2 != 0)
        {
            context.Precondition(context.Location, $"{context.Consumer} concatenates {features} features, an odd number; autofusion halves it (F -> F/2), so the input widths must sum to an even number");
            return null;
        }

        return OpOutput.Of(new ValueInfo(Shape.Of(context.Attributes.Int("latent")), ModalityKind.Vector));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink) =>
        AutoFusionBlock.AddParameters(sink, InputChecks.SumOfWidths(node.Inputs), node.Attributes.GetInt("latent"));
}
