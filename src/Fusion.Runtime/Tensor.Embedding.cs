using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// Embedding lookup (PyTorch's <c>F.embedding</c>): the rows of <paramref name="weight"/>
    /// <c>[V, D]</c> picked by <paramref name="indices"/> (any shape, values in [0, V)), giving
    /// <c>indices.Shape + [D]</c>. The gradient of the weight is scatter-added (a row picked twice
    /// receives both gradients); the row <paramref name="paddingIndex"/>, when given, receives none.
    /// </summary>
    public static Tensor Embedding(LongTensor indices, Tensor weight, int? paddingIndex = null)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Embedding weight must be [V, D]; got {Layout.Format(weight.shape)}.");
        int v = weight.shape[0], d = weight.shape[1];
        if (paddingIndex is int pi && (pi < 0 || pi >= v)) throw new ArgumentOutOfRangeException(nameof(paddingIndex), pi, $"padding index outside [0, {v}).");
        var idx = indices.AsSpan();
        for (int i = 0; i < idx.Length; i++)
            if ((ulong)idx[i] >= (ulong)v) throw new IndexOutOfRangeException($"Embedding index {idx[i]} at position {i} is outside [0, {v}).");

        var wc = weight.Contiguous();
        var outShape = new int[indices.Rank + 1];
        indices.Shape.CopyTo(outShape);
        outShape[^1] = d;
        var result = Allocate(outShape);
        var ws = wc.Buffer.AsSpan(wc.offset, wc.numel);
        var ys = result.Buffer.AsSpan(0, result.numel);
        for (int i = 0; i < idx.Length; i++) ws.Slice((int)idx[i] * d, d).CopyTo(ys.Slice(i * d, d));

        return Autograd.Record(result, [wc], g =>
        {
            var gs = g.AsReadOnlySpan();
            var gw = Zeros(v, d);
            var gws = gw.AsSpan();
            var ids = indices.AsSpan();
            for (int i = 0; i < ids.Length; i++)
            {
                int row = (int)ids[i];
                if (row == paddingIndex) continue;
                var dst = gws.Slice(row * d, d);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, gs.Slice(i * d, d), dst);
            }
            wc.AccumulateGrad(gw.AsReadOnlySpan());
        }, "Embedding");
    }
}
