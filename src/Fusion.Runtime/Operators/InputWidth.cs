namespace Fusion.Runtime.Operators;

/// <summary>One input of a fusion operator: the name its per-input state-dict keys use and its width.</summary>
public readonly record struct InputWidth(string Name, int Width);
