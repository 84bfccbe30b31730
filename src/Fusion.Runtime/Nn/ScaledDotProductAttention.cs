using System.Numerics.Tensors;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Nn;

/// <summary>
/// The attention core shared by <see cref="MultiheadAttention"/> and the blocks built on it:
/// <c>weights = softmax(scale * Q K^T + mask)</c>, <c>out = dropout(weights) V</c>, with the two
/// products as batched <see cref="Tensor.MatMul(Tensor, Tensor)"/> (GEMM over strided head views,
/// no copies) and the scaling, masking and softmax as one fused op.
/// <para>
/// A fully masked row (a query whose every key is ignored by padding or forbidden by the
/// attention mask) is defined as all-zero weights, so its attention output is 0 and no gradient
/// flows through it. PyTorch gives NaN there; this is the one intended difference.
/// </para>
/// </summary>
public static class ScaledDotProductAttention
{
    /// <summary>
    /// Attention over heads: <paramref name="query"/> <c>[B, H, L, D]</c>, <paramref name="key"/>
    /// and <paramref name="value"/> <c>[B, H, S, D]</c> (any strides). Returns the output
    /// <c>[B, H, L, D]</c> and the weights <c>[B, H, L, S]</c> after dropout (as PyTorch 1.13 returns them).
    /// </summary>
    public static (Tensor Output, Tensor Weights) Compute(Tensor query, Tensor key, Tensor value, float scale,
        AttentionMask? mask = null, KeyPaddingMask? keyPadding = null, float dropout = 0f, bool training = false, RandomSource? generator = null)
    {
        if (query.Rank != 4 || key.Rank != 4 || value.Rank != 4)
            throw new ArgumentException("Attention takes query [B, H, L, D], key and value [B, H, S, D].");
        if (key.Size(2) != value.Size(2)) throw new ArgumentException($"Key and value lengths differ: {key.Size(2)} and {value.Size(2)}.");
        var scores = Tensor.MatMul(query, key.Transpose(-1, -2));
        var weights = MaskedSoftmax(scores, scale, mask, keyPadding);
        if (training && dropout > 0f)
        {
            if (generator is null) throw new ArgumentNullException(nameof(generator), "Attention dropout in training needs a random source.");
            weights = weights.Dropout(dropout, training, generator);
        }
        return (Tensor.MatMul(weights, value), weights);
    }

    /// <summary>
    /// softmax(scale * scores + mask) over the last axis of <paramref name="scores"/> <c>[B, H, L, S]</c>
    /// in one op (forward and backward). Ignored keys and forbidden pairs get weight exactly 0; a row
    /// with no allowed key is all zeros. The mask values are constants (no gradient).
    /// </summary>
    public static Tensor MaskedSoftmax(Tensor scores, float scale, AttentionMask? mask = null, KeyPaddingMask? keyPadding = null)
    {
        if (scores.Rank != 4) throw new ArgumentException($"Masked softmax takes scores [B, H, L, S]; got rank {scores.Rank}.", nameof(scores));
        int batch = scores.Size(0), heads = scores.Size(1), queries = scores.Size(2), keys = scores.Size(3);
        if (mask is not null && (mask.Queries != queries || mask.Keys != keys))
            throw new ArgumentException($"Attention mask [{mask.Queries}, {mask.Keys}] does not match scores [{queries}, {keys}].", nameof(mask));
        var ignored = keyPadding?.Resolve(batch, keys);

        var xc = scores.Contiguous();
        var result = Tensor.Empty(scores.Shape);
        int rows = batch * heads * queries;
        if (keys > 0 && rows > 0)
        {
            Parallelism.For(rows, Parallelism.Chunks(rows, (long)rows * keys * 6), (r0, r1) =>
            {
                var x = xc.AsReadOnlySpan();
                var y = result.AsSpan();
                for (int r = r0; r < r1; r++)
                {
                    var xs = x.Slice(r * keys, keys);
                    var ys = y.Slice(r * keys, keys);
                    if (mask is null) TensorPrimitives.Multiply(xs, scale, ys);
                    else TensorPrimitives.MultiplyAdd(xs, scale, mask.Values.Slice(r % queries * keys, keys), ys);
                    if (ignored is not null)
                    {
                        var flags = ignored.AsSpan(r / (heads * queries) * keys, keys);
                        for (int j = 0; j < keys; j++)
                            if (flags[j]) ys[j] = float.NegativeInfinity;
                    }
                    float max = TensorPrimitives.Max(ys);
                    if (float.IsNegativeInfinity(max)) { ys.Clear(); continue; }
                    TensorPrimitives.Subtract(ys, max, ys);
                    TensorPrimitives.Exp(ys, ys);
                    TensorPrimitives.Multiply(ys, 1f / TensorPrimitives.Sum(ys), ys);
                }
            });
        }

        return Autograd.Record(result, [xc], g =>
        {
            var dx = Tensor.Empty(g.Shape);
            Parallelism.For(rows, Parallelism.Chunks(rows, (long)rows * keys * 4), (r0, r1) =>
            {
                var gs = g.AsReadOnlySpan();
                var ys = result.AsReadOnlySpan();
                var ds = dx.AsSpan();
                for (int r = r0; r < r1; r++)
                {
                    // dx = scale * y * (g - <g, y>); zero where y is zero (masked keys, empty rows).
                    var gr = gs.Slice(r * keys, keys);
                    var yr = ys.Slice(r * keys, keys);
                    var d = ds.Slice(r * keys, keys);
                    float dot = TensorPrimitives.Dot(gr, yr);
                    TensorPrimitives.Subtract(gr, dot, d);
                    TensorPrimitives.Multiply(d, yr, d);
                    TensorPrimitives.Multiply(d, scale, d);
                }
            });
            xc.AccumulateGrad(dx.AsReadOnlySpan());
        }, "MaskedSoftmax");
    }
}
