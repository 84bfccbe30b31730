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

public enum OptimizerType
{
    Sgd,
    Adam,
    AdamW,
}

/// <summary>
/// Defaults: adam, lr 1e-3, betas (0.9, 0.999), momentum 0, nesterov false; weight decay 0
/// (adam, sgd) or 0.01 (adamw, PyTorch's default).
/// </summary>
public sealed record OptimizerSpec(
    OptimizerType Type,
    double Lr,
    double WeightDecay,
    double Beta1,
    double Beta2,
    double Momentum,
    bool Nesterov)
{
    public static OptimizerSpec Default { get; } = new(OptimizerType.Adam, 1e-3, 0, 0.9, 0.999, 0, false);
}

/// <summary>A learning rate for one parameter group (<c>encoders</c>, <c>context</c>, <c>fusion</c>, <c>heads</c> or a node's <c>group</c>).</summary>
public sealed record LearningRateGroup(string Group, double Lr);

public enum ScheduleType
{
    None,
    Step,
    Cosine,
    Warmup,
    Plateau,
}

/// <summary>
/// A learning-rate schedule; only the fields of its type are set:
/// step (<see cref="StepSize"/>, <see cref="Gamma"/>), cosine (<see cref="TMax"/>),
/// warmup (<see cref="Steps"/>), plateau (<see cref="Patience"/>, <see cref="Factor"/>).
/// </summary>
public sealed record ScheduleSpec(
    ScheduleType Type,
    int? StepSize = null,
    double? Gamma = null,
    int? TMax = null,
    int? Steps = null,
    int? Patience = null,
    double? Factor = null)
{
    public static ScheduleSpec None { get; } = new(ScheduleType.None);
}

/// <summary>Stop when <see cref="Metric"/> has not improved for <see cref="Patience"/> epochs.</summary>
public sealed record EarlyStoppingSpec(int Patience, string Metric);
