namespace Fusion.Runtime.Models;

/// <summary>
/// The parameter group (for per-group learning rates) of every state-dict key under
/// <paramref name="Prefix"/> (a node, a head, <c>context</c> or <c>losses</c>, followed by a dot).
/// </summary>
public sealed record ParameterGroupDescriptor(string Prefix, string Group);
