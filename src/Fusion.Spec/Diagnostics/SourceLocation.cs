namespace Fusion.Spec.Diagnostics;

/// <summary>Where a piece of a spec came from: file, 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
