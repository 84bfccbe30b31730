namespace Fusion.Annotations;

/// <summary>A pooling <c>mode</c> (<c>pool</c> op) or the <c>pool</c> of an attention op; each op accepts the values of its table.</summary>
public enum Pool
{
    /// <summary><c>mean</c></summary>
    Mean,
    /// <summary><c>max</c></summary>
    Max,
    /// <summary><c>min</c></summary>
    Min,
    /// <summary><c>first</c></summary>
    First,
    /// <summary><c>last</c></summary>
    Last,
    /// <summary><c>flatten</c></summary>
    Flatten,
}
