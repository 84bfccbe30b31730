namespace Fusion.Spec.Ir;

/// <summary>Training settings, every default filled in.</summary>
public sealed record TrainingSpec(
    OptimizerSpec Optimizer,
    EquatableArray<LearningRateGroup> LrGroups,
    ScheduleSpec Schedule,
    int Epochs,
    int BatchSize,
    int Seed,
    EarlyStoppingSpec? EarlyStopping,
    double? ClipGradNorm)
{
    public static TrainingSpec Default { get; } = new(
        OptimizerSpec.Default, EquatableArray<LearningRateGroup>.Empty, ScheduleSpec.None, 10, 32, 0, null, null);
}
