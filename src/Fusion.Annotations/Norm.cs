namespace Fusion.Annotations;

/// <summary>The <c>norm</c> of an <c>mlp</c>.</summary>
public enum Norm
{
    /// <summary><c>none</c></summary>
    None,
    /// <summary><c>layer</c></summary>
    Layer,
    /// <summary><c>batch</c></summary>
    Batch,
}
