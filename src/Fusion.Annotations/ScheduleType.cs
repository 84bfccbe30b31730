namespace Fusion.Annotations;

/// <summary>The learning-rate <c>schedule.type</c>.</summary>
public enum ScheduleType
{
    /// <summary><c>none</c></summary>
    None,
    /// <summary><c>step</c></summary>
    Step,
    /// <summary><c>cosine</c></summary>
    Cosine,
    /// <summary><c>warmup</c></summary>
    Warmup,
    /// <summary><c>plateau</c></summary>
    Plateau,
}
