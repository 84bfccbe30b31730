namespace Fusion.Runtime.Models;

/// <summary>
/// A model's outputs, untyped: every head's output by head name, and the representations the
/// heads and losses read (the fused representation) by reference (<c>node</c> or
/// <c>node.member</c>; an autofusion node adds <c>node:features</c> and <c>node:reconstruction</c>).
/// </summary>
public sealed class FusionOutputs
{
    public FusionOutputs(IReadOnlyDictionary<string, Tensor> heads, IReadOnlyDictionary<string, Tensor> representations)
    {
        Heads = heads;
        Representations = representations;
    }

    public IReadOnlyDictionary<string, Tensor> Heads { get; }

    public IReadOnlyDictionary<string, Tensor> Representations { get; }

    /// <summary>A head's output or a representation by name.</summary>
    public Tensor this[string name] =>
        Heads.TryGetValue(name, out var head) ? head
        : Representations.TryGetValue(name, out var value) ? value
        : throw new KeyNotFoundException($"No output '{name}' (heads: {string.Join(", ", Heads.Keys)}; representations: {string.Join(", ", Representations.Keys)}).");
}
