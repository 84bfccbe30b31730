namespace Fusion.Runtime.Models;

/// <summary>
/// A model's outputs, untyped: every head's output by head name, and the representations the
/// heads and losses read (the fused representation) by reference (<c>node</c> or
/// <c>node.member</c>; an autofusion node adds <c>node:features</c> and <c>node:reconstruction</c>),
/// and the sequence lengths a sequence loss reads (<c>node:lengths</c>: the batch's lengths as they
/// flow through the model, e.g. a conv1d's output lengths under a DTW loss; absent when the batch
/// carried no lengths).
/// </summary>
public sealed class FusionOutputs
{
    private static readonly IReadOnlyDictionary<string, LongTensor> NoLengths = new Dictionary<string, LongTensor>();

    public FusionOutputs(
        IReadOnlyDictionary<string, Tensor> heads,
        IReadOnlyDictionary<string, Tensor> representations,
        IReadOnlyDictionary<string, LongTensor>? lengths = null)
    {
        Heads = heads;
        Representations = representations;
        Lengths = lengths ?? NoLengths;
    }

    public IReadOnlyDictionary<string, Tensor> Heads { get; }

    public IReadOnlyDictionary<string, Tensor> Representations { get; }

    /// <summary>Sequence lengths <c>[B]</c> by <c>reference:lengths</c>.</summary>
    public IReadOnlyDictionary<string, LongTensor> Lengths { get; }

    /// <summary>A head's output or a representation by name.</summary>
    public Tensor this[string name] =>
        Heads.TryGetValue(name, out var head) ? head
        : Representations.TryGetValue(name, out var value) ? value
        : throw new KeyNotFoundException($"No output '{name}' (heads: {string.Join(", ", Heads.Keys)}; representations: {string.Join(", ", Representations.Keys)}).");
}
