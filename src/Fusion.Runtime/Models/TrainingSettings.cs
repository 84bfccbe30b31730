namespace Fusion.Runtime.Models;

/// <summary>The spec's <c>training</c> section as plain runtime values (every default filled in).</summary>
public sealed record TrainingSettings(
    OptimizerSettings Optimizer,
    IReadOnlyList<LearningRateSetting> LrGroups,
    ScheduleSettings Schedule,
    int Epochs,
    int BatchSize,
    int Seed,
    EarlyStoppingSettings? EarlyStopping,
    double? ClipGradNorm);

public enum OptimizerKind
{
    Sgd,
    Adam,
    AdamW,
}

public sealed record OptimizerSettings(OptimizerKind Kind, double Lr, double WeightDecay, double Beta1, double Beta2, double Momentum, bool Nesterov);

/// <summary>The learning rate of one parameter group.</summary>
public sealed record LearningRateSetting(string Group, double Lr);

public enum ScheduleKind
{
    None,
    Step,
    Cosine,
    Warmup,
    Plateau,
}

/// <summary>A learning-rate schedule; only the fields of its kind are set.</summary>
public sealed record ScheduleSettings(
    ScheduleKind Kind,
    int? StepSize = null,
    double? Gamma = null,
    int? TMax = null,
    int? Steps = null,
    int? Patience = null,
    double? Factor = null);

/// <summary>Stop when <paramref name="Metric"/> has not improved for <paramref name="Patience"/> epochs.</summary>
public sealed record EarlyStoppingSettings(int Patience, string Metric);
