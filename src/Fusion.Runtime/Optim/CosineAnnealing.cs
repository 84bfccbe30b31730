namespace Fusion.Runtime.Optim;

/// <summary>
/// torch.optim.lr_scheduler.CosineAnnealingLR in closed form:
/// lr = etaMin + (initial - etaMin) (1 + cos(pi epoch / tMax)) / 2.
/// </summary>
public sealed class CosineAnnealing(Optimizer optimizer, int tMax, double etaMin = 0) : LrScheduler(optimizer)
{
    protected override double LearningRateAt(double initial, int epoch) =>
        etaMin + (initial - etaMin) * (1 + Math.Cos(Math.PI * epoch / (tMax > 0 ? tMax : throw new ArgumentOutOfRangeException(nameof(tMax))))) / 2;
}
