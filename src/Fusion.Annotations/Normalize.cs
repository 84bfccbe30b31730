namespace Fusion.Annotations;

/// <summary>The <c>normalize</c> of a <c>weighted</c> node.</summary>
public enum Normalize
{
    /// <summary><c>softmax</c></summary>
    Softmax,
    /// <summary><c>none</c></summary>
    None,
}
