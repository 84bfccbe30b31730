using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Validation;

/// <summary>FUS100 for losses that cannot learn at the configured batch size.</summary>
internal static class LossWarnings
{
    public static void Report(BindContext context, IEnumerable<LossSpec> losses, int batchSize)
    {
        foreach (var loss in losses)
        {
            if (loss.Type == LossType.Contrastive && batchSize == 1)
            {
                context.Report(DiagnosticDescriptors.DegenerateSetting(
                    loss.Location,
                    $"contrastive loss '{loss.Name}' with batch_size 1: the only candidate is the positive, so the loss is always 0; use a batch of at least 2"));
            }

            if (loss.Type == LossType.Cca && loss.Between.Count == 2)
            {
                int dims = Math.Max(loss.Between[0].Shape.Width, loss.Between[1].Shape.Width);
                if (batchSize < dims)
                {
                    context.Report(DiagnosticDescriptors.DegenerateSetting(
                        loss.Location,
                        $"cca loss '{loss.Name}' estimates {dims}x{dims} covariances from batches of {batchSize} samples: fewer samples than dimensions leave them singular (only the ridge r keeps them invertible); use batch_size >= {dims}"));
                }
            }
        }
    }
}
