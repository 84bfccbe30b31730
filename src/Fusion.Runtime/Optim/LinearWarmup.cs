namespace Fusion.Runtime.Optim;

/// <summary>
/// Linear warm-up (torch.optim.lr_scheduler.LinearLR with end factor 1): the factor grows linearly
/// from <paramref name="startFactor"/> at epoch 0 to 1 at <paramref name="warmupSteps"/>, then stays 1.
/// </summary>
public sealed class LinearWarmup(Optimizer optimizer, int warmupSteps, double startFactor = 1.0 / 3) : LrScheduler(optimizer)
{
    protected override double LearningRateAt(double initial, int epoch)
    {
        if (warmupSteps <= 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps));
        return initial * (startFactor + (1 - startFactor) * Math.Min(epoch, warmupSteps) / warmupSteps);
    }
}
