namespace Fusion.Spec.Ir;

/// <summary>Stop when <see cref="Metric"/> has not improved for <see cref="Patience"/> epochs.</summary>
public sealed record EarlyStoppingSpec(int Patience, string Metric);
