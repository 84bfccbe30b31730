using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// Layer normalisation over the last axis (PyTorch's <c>F.layer_norm(x, [D], weight, bias, eps)</c>):
    /// y = (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance of each row.
    /// <paramref name="weight"/> and <paramref name="bias"/> are <c>[D]</c> or null. One fused
    /// kernel forward and one backward (no composition of element-wise ops).
    /// </summary>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        if (x.Rank == 0) throw new ArgumentException("LayerNorm needs a tensor of rank 1 or more.");
        int d = x.shape[^1];
        CheckVector(weight, d, "LayerNorm weight");
        CheckVector(bias, d, "LayerNorm bias");
        int rows = d == 0 ? 0 : x.numel / d;

        var xc = x.Contiguous();
        var wc = weight?.Contiguous();
        var bc = bias?.Contiguous();
        var result = Allocate((int[])x.shape.Clone());
        bool record = Autograd.NeedsGrad([xc]) || (wc is not null && Autograd.NeedsGrad(wc)) || (bc is not null && Autograd.NeedsGrad(bc));
        Tensor? stats = record ? Allocate([2 * rows]) : null;

        var xs = xc.Buffer.AsSpan(xc.offset, xc.numel);
        var ys = result.Buffer.AsSpan(0, result.numel);
        ReadOnlySpan<float> ws = wc is null ? default : wc.Buffer.AsSpan(wc.offset, d);
        ReadOnlySpan<float> bs = bc is null ? default : bc.Buffer.AsSpan(bc.offset, d);
        Span<float> st = stats is null ? default : stats.Buffer.AsSpan(0, 2 * rows);
        for (int r = 0; r < rows; r++)
        {
            var row = xs.Slice(r * d, d);
            float mean = TensorPrimitives.Sum(row) / d;
            float variance = CenteredSumOfSquares(row, mean) / d;
            float rstd = 1f / MathF.Sqrt(variance + eps);
            NormalizeRow(row, mean, rstd, ws, bs, ys.Slice(r * d, d));
            if (record)
            {
                st[2 * r] = mean;
                st[2 * r + 1] = rstd;
            }
        }
        if (!record) return result;

        var inputs = wc is null ? (bc is null ? new[] { xc } : [xc, bc]) : (bc is null ? [xc, wc] : [xc, wc, bc]);
        return Autograd.Record(result, inputs, g =>
        {
            var gs = g.AsReadOnlySpan();
            var xv = xc.Buffer.AsSpan(xc.offset, xc.numel);
            var sv = stats!.Buffer.AsSpan(0, 2 * rows);
            ReadOnlySpan<float> wv = wc is null ? default : wc.Buffer.AsSpan(wc.offset, d);
            bool needX = xc.RequiresGrad, needW = wc is not null && wc.RequiresGrad, needB = bc is not null && bc.RequiresGrad;
            var dx = needX ? Allocate([rows * d]) : null;
            var gw = needW ? Zeros(d) : null;
            var gb = needB ? Zeros(d) : null;
            var dxhat = Allocate([Math.Max(d, 1)]);
            var xhat = Allocate([Math.Max(d, 1)]);
            var dh = dxhat.Buffer.AsSpan(0, d);
            var xh = xhat.Buffer.AsSpan(0, d);
            for (int r = 0; r < rows; r++)
            {
                var gr = gs.Slice(r * d, d);
                float mean = sv[2 * r], rstd = sv[2 * r + 1];
                NormalizeRow(xv.Slice(r * d, d), mean, rstd, default, default, xh);
                if (gw is not null) TensorPrimitives.FusedMultiplyAdd(gr, xh, gw.AsSpan(), gw.AsSpan());
                if (gb is not null) TensorPrimitives.Add(gb.AsSpan(), gr, gb.AsSpan());
                if (dx is null) continue;
                if (wc is null) gr.CopyTo(dh);
                else TensorPrimitives.Multiply(gr, wv, dh);
                float a = TensorPrimitives.Sum(dh) / d;
                float b = TensorPrimitives.Dot(dh, xh) / d;
                // dx = rstd * (dxhat - a - xhat * b)
                var dxr = dx.Buffer.AsSpan(r * d, d);
                TensorPrimitives.Multiply(xh, -b * rstd, dxr);
                TensorPrimitives.Add(dxr, -a * rstd, dxr);
                TensorPrimitives.MultiplyAdd(dh, rstd, dxr, dxr);
            }
            if (dx is not null) xc.AccumulateGrad(dx.AsReadOnlySpan());
            if (gw is not null) wc!.AccumulateGrad(gw.AsReadOnlySpan());
            if (gb is not null) bc!.AccumulateGrad(gb.AsReadOnlySpan());
        }, "LayerNorm");
    }

    /// <summary>Layer normalisation over the last axis; see <see cref="LayerNorm(Tensor, Tensor?, Tensor?, float)"/>.</summary>
    public Tensor LayerNorm(Tensor? weight = null, Tensor? bias = null, float eps = 1e-5f) => LayerNorm(this, weight, bias, eps);

    private static void CheckVector(Tensor? t, int length, string what)
    {
        if (t is not null && (t.Rank != 1 || t.shape[0] != length))
            throw new ArgumentException($"{what} must have shape [{length}]; it has {Layout.Format(t.shape)}.");
    }

    /// <summary>sum((x - mean)^2), Vector512 where available.</summary>
    private static float CenteredSumOfSquares(ReadOnlySpan<float> x, float mean)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        int i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && x.Length >= 16)
        {
            var vm = Vector512.Create(mean);
            var acc = Vector512<float>.Zero;
            for (; i <= x.Length - 16; i += 16)
            {
                var c = Vector512.LoadUnsafe(ref xr, (nuint)i) - vm;
                acc = Vector512.FusedMultiplyAdd(c, c, acc);
            }
            sum = Vector512.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            float c = Unsafe.Add(ref xr, i) - mean;
            sum += c * c;
        }
        return sum;
    }

    /// <summary>y = (x - mean) * rstd, then * w + b when given (w and b empty for none).</summary>
    private static void NormalizeRow(ReadOnlySpan<float> x, float mean, float rstd, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        bool hasW = !w.IsEmpty, hasB = !b.IsEmpty;
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float br = ref MemoryMarshal.GetReference(b);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vm = Vector512.Create(mean);
            var vr = Vector512.Create(rstd);
            for (; i <= x.Length - 16; i += 16)
            {
                var v = (Vector512.LoadUnsafe(ref xr, (nuint)i) - vm) * vr;
                if (hasW) v *= Vector512.LoadUnsafe(ref wr, (nuint)i);
                if (hasB) v += Vector512.LoadUnsafe(ref br, (nuint)i);
                v.StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            float v = (Unsafe.Add(ref xr, i) - mean) * rstd;
            if (hasW) v *= Unsafe.Add(ref wr, i);
            if (hasB) v += Unsafe.Add(ref br, i);
            Unsafe.Add(ref yr, i) = v;
        }
    }
}
