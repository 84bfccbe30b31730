namespace Fusion.Spec.Ir;

public enum ScheduleType
{
    None,
    Step,
    Cosine,
    Warmup,
    Plateau,
}
