namespace Fusion.Annotations;

/// <summary>The <c>optimizer.type</c>.</summary>
public enum OptimizerType
{
    /// <summary><c>sgd</c></summary>
    Sgd,
    /// <summary><c>adam</c></summary>
    Adam,
    /// <summary><c>adamw</c></summary>
    [SpecName("adamw")]
    AdamW,
}
