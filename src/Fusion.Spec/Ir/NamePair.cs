namespace Fusion.Spec.Ir;

/// <summary>An ordered pair of names, e.g. a graph edge <c>[a, b]</c>.</summary>
public sealed record NamePair(string First, string Second)
{
    public override string ToString() => $"[{First}, {Second}]";
}
