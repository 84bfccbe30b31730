namespace Fusion.Spec.Ir;

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
