namespace Fusion.Runtime.Training;

/// <summary>
/// A finished run: every epoch's metrics, the epoch whose weights the model holds now (the best by
/// <see cref="SelectionMetric"/>), whether early stopping ended it, and the checkpoint written (or null).
/// </summary>
public sealed record TrainingResult(
    IReadOnlyList<EpochMetrics> Epochs,
    string SelectionMetric,
    int BestEpoch,
    double BestValue,
    bool StoppedEarly,
    string? CheckpointPath);
