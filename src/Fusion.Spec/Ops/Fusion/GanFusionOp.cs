using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Fusion;

/// <summary>
/// <c>ganfusion</c>: per input t, an autofusion of the other inputs (the real sample), a
/// generator from input t and a discriminator; the generated latents fused by two Linear layers.
/// </summary>
internal sealed class GanFusionOp : OpDefinition
{
    public override string Name => "ganfusion";

    public override bool TakesSeveralInputs => true;

    public override int MinInputs => 2;

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

        int latent = context.Attributes.Int("latent");
        bool ok = true;
        if (latent % 2 != 0)
        {
            context.Precondition(context.Attributes.LocationOf("latent"), $"'latent' of {context.Consumer} is {latent}; it must be even (the fused output goes through 3*latent/2 units)");
            ok = false;
        }

        int total = context.Inputs.Sum(i => i.Width);
        foreach (var input in context.Inputs)
        {
            int others = total - input.Width;
            if (others % 2 != 0)
            {
                context.Precondition(input.Reference.Location, $"the inputs of {context.Consumer} other than '{input.Reference.Text}' have {others} features, an odd number; the autofusion of the others halves it, so it must be even");
                ok = false;
            }
        }

        return ok ? OpOutput.Of(new ValueInfo(Shape.Of(latent), ModalityKind.Vector)) : null;
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int latent = node.Attributes.GetInt("latent");
        int total = InputChecks.SumOfWidths(node.Inputs);
        foreach (var t in node.Inputs)
        {
            AutoFusionBlock.AddParameters(sink.Scope($"autofusion.{t.InputName}"), total - t.Shape.Width, latent);
        }

        foreach (var t in node.Inputs)
        {
            MlpBlock.AddParameters(sink.Scope($"generator.{t.InputName}"), t.Shape.Width, [2 * latent, 2 * latent], latent, norms: true);
        }

        foreach (var t in node.Inputs)
        {
            MlpBlock.AddParameters(sink.Scope($"discriminator.{t.InputName}"), latent, [2 * latent, 2 * latent], 1, norms: true);
        }

        int fused = 3 * latent / 2;
        sink.Linear("fuse1", fused, node.Inputs.Count * latent);
        sink.Linear("fuse2", latent, fused);
    }

    public override void AddBuffers(NodeSpec node, ParameterSink sink)
    {
        int latent = node.Attributes.GetInt("latent");
        foreach (var t in node.Inputs)
        {
            MlpBlock.AddBatchNormBuffers(sink.Scope($"generator.{t.InputName}"), [2 * latent, 2 * latent]);
        }

        foreach (var t in node.Inputs)
        {
            MlpBlock.AddBatchNormBuffers(sink.Scope($"discriminator.{t.InputName}"), [2 * latent, 2 * latent]);
        }
    }
}
