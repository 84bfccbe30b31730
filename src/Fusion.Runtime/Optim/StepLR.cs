namespace Fusion.Runtime.Optim;

/// <summary>torch.optim.lr_scheduler.StepLR: lr = initial * gamma^(epoch / stepSize), integer division.</summary>
public sealed class StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : LrScheduler(optimizer)
{
    protected override double LearningRateAt(double initial, int epoch) =>
        initial * Math.Pow(gamma, epoch / (stepSize > 0 ? stepSize : throw new ArgumentOutOfRangeException(nameof(stepSize))));
}
