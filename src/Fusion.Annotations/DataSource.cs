namespace Fusion.Annotations;

/// <summary>The <c>data.type</c>: where the data comes from.</summary>
public enum DataSource
{
    /// <summary><c>synthetic</c></summary>
    Synthetic,
    /// <summary><c>npz</c></summary>
    Npz,
    /// <summary><c>npy</c></summary>
    Npy,
    /// <summary><c>csv</c></summary>
    Csv,
}
