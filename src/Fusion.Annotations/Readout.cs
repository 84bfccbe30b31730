namespace Fusion.Annotations;

/// <summary>The <c>readout</c> of a graph op.</summary>
public enum Readout
{
    /// <summary><c>mean</c></summary>
    Mean,
    /// <summary><c>concat</c></summary>
    Concat,
}
