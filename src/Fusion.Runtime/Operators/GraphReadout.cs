namespace Fusion.Runtime.Operators;

/// <summary>How a graph fusion operator turns its node states <c>[B, M, F]</c> into one vector per sample.</summary>
public enum GraphReadout
{
    /// <summary>The mean over the nodes: <c>[B, F]</c>.</summary>
    Mean,

    /// <summary>The node states side by side, in input order: <c>[B, M*F]</c>.</summary>
    Concat,
}
