namespace Fusion.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.MultiheadAttention(E, heads, dropout, batch_first=True)</c> with its state-dict
/// layout: <c>in_proj_weight [3E, E]</c> (query, key, value projections stacked), <c>in_proj_bias [3E]</c>,
/// <c>out_proj.weight [E, E]</c>, <c>out_proj.bias [E]</c>. Query <c>[B, L, E]</c>, key and value
/// <c>[B, S, E]</c> (cross attention, or self attention when all three are the same tensor);
/// E / heads per head, scores scaled by 1 / sqrt(E / heads); dropout on the attention weights in training.
/// Initialisation as PyTorch: <c>out_proj</c> as a default Linear (drawn first, as PyTorch constructs it
/// first), then xavier_uniform on <c>in_proj_weight</c>, zeros on both biases.
/// A query whose every key is masked gets zero weights and an output of <c>out_proj.bias</c>
/// (PyTorch gives NaN); see <see cref="ScaledDotProductAttention"/>.
/// </summary>
public sealed class MultiheadAttention : Module
{
    private readonly RandomSource generator;

    public MultiheadAttention(int embedDim, int heads, RandomSource generator, float dropout = 0f)
    {
        if (embedDim <= 0 || heads <= 0) throw new ArgumentOutOfRangeException(nameof(embedDim), $"MultiheadAttention({embedDim}, {heads}): sizes must be positive.");
        if (embedDim % heads != 0) throw new ArgumentException($"embed_dim {embedDim} must be divisible by heads {heads}.", nameof(heads));
        if (!(dropout is >= 0f and <= 1f)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout probability must be in [0, 1].");
        this.generator = generator;
        EmbedDim = embedDim;
        Heads = heads;
        HeadDim = embedDim / heads;
        DropoutP = dropout;
        InProjWeight = RegisterParameter("in_proj_weight", Tensor.Empty(3 * embedDim, embedDim).DetachFromScope());
        InProjBias = RegisterParameter("in_proj_bias", Tensor.Zeros(3 * embedDim).DetachFromScope());
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, generator));
        Init.XavierUniform(InProjWeight, generator);
        Init.Zeros(OutProj.Bias!);
    }

    public int EmbedDim { get; }
    public int Heads { get; }
    public int HeadDim { get; }
    public float DropoutP { get; }
    public Tensor InProjWeight { get; }
    public Tensor InProjBias { get; }
    public Linear OutProj { get; }

    /// <summary>Self attention: <c>Forward(x, x, x, ...)</c>.</summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor x, KeyPaddingMask? keyPadding = null, AttentionMask? mask = null, bool needWeights = true) =>
        Forward(x, x, x, keyPadding, mask, needWeights);

    /// <summary>
    /// Attention of <paramref name="query"/> <c>[B, L, E]</c> over <paramref name="key"/> and
    /// <paramref name="value"/> <c>[B, S, E]</c>. <paramref name="keyPadding"/> ignores keys (lengths
    /// <c>[B]</c> or a mask <c>[B, S]</c>, true = ignore); <paramref name="mask"/> <c>[L, S]</c> is additive or boolean.
    /// Returns the output <c>[B, L, E]</c> and, with <paramref name="needWeights"/>, the attention weights
    /// averaged over heads <c>[B, L, S]</c> (after dropout in training, as PyTorch 1.13).
    /// </summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value,
        KeyPaddingMask? keyPadding = null, AttentionMask? mask = null, bool needWeights = true)
    {
        if (query.Rank != 3 || key.Rank != 3 || value.Rank != 3)
            throw new ArgumentException("MultiheadAttention takes batch-first query [B, L, E], key and value [B, S, E].");
        int batch = query.Size(0), queries = query.Size(1), keys = key.Size(1), e = EmbedDim;
        if (query.Size(2) != e || key.Size(2) != e || value.Size(2) != e)
            throw new ArgumentException($"MultiheadAttention({e}): query, key and value must end in {e}; got {query.Size(2)}, {key.Size(2)}, {value.Size(2)}.");
        if (key.Size(0) != batch || value.Size(0) != batch || value.Size(1) != keys)
            throw new ArgumentException("Query, key and value must share the batch size, key and value the length.");

        Tensor q, k, v;
        if (ReferenceEquals(query, key) && ReferenceEquals(key, value))
        {
            var qkv = SplitHeads(Tensor.Linear(query, InProjWeight, InProjBias), batch, queries, 3);
            (q, k, v) = (qkv[0], qkv[1], qkv[2]);
        }
        else if (ReferenceEquals(key, value))
        {
            q = SplitHeads(Tensor.Linear(query, InProjWeight.Slice(0, 0, e), InProjBias.Slice(0, 0, e)), batch, queries, 1)[0];
            var kv = SplitHeads(Tensor.Linear(key, InProjWeight.Slice(0, e, 3 * e), InProjBias.Slice(0, e, 3 * e)), batch, keys, 2);
            (k, v) = (kv[0], kv[1]);
        }
        else
        {
            q = SplitHeads(Tensor.Linear(query, InProjWeight.Slice(0, 0, e), InProjBias.Slice(0, 0, e)), batch, queries, 1)[0];
            k = SplitHeads(Tensor.Linear(key, InProjWeight.Slice(0, e, 2 * e), InProjBias.Slice(0, e, 2 * e)), batch, keys, 1)[0];
            v = SplitHeads(Tensor.Linear(value, InProjWeight.Slice(0, 2 * e, 3 * e), InProjBias.Slice(0, 2 * e, 3 * e)), batch, keys, 1)[0];
        }

        var (heads, weights) = ScaledDotProductAttention.Compute(q, k, v, 1f / MathF.Sqrt(HeadDim), mask, keyPadding, DropoutP, IsTraining, generator);
        var merged = heads.Permute(0, 2, 1, 3).Reshape(batch, queries, e);
        return (OutProj.Forward(merged), needWeights ? weights.Mean(1) : null);
    }

    /// <summary>Splits a projection <c>[B, N, parts * E]</c> into <paramref name="parts"/> head views <c>[B, H, N, D]</c> (no copies).</summary>
    private Tensor[] SplitHeads(Tensor projected, int batch, int length, int parts)
    {
        var split = projected.Reshape(batch, length, parts, Heads, HeadDim);
        var views = new Tensor[parts];
        for (int i = 0; i < parts; i++) views[i] = split.Select(2, i).Permute(0, 2, 1, 3);
        return views;
    }
}
