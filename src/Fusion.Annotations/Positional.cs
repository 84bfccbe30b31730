namespace Fusion.Annotations;

/// <summary>The <c>positional</c> encoding of a <c>transformer</c>.</summary>
public enum Positional
{
    /// <summary><c>none</c></summary>
    None,
    /// <summary><c>sinusoidal</c></summary>
    Sinusoidal,
}
