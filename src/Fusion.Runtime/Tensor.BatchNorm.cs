using System.Numerics.Tensors;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// Batch normalisation over channel axis 1 of x <c>[N, C]</c> or <c>[N, C, L]</c>, like PyTorch's
    /// <c>F.batch_norm</c>. Training: each channel is normalised with the batch mean and the biased
    /// batch variance, and the running statistics (when given) are updated in place with
    /// <c>running = (1 - momentum) * running + momentum * batch</c>, using the unbiased variance
    /// for <paramref name="runningVar"/>. Evaluation: the running statistics normalise.
    /// Gradients flow through the batch statistics in training mode.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        if (x.Rank is < 2 or > 3) throw new ArgumentException($"BatchNorm expects [N, C] or [N, C, L]; got {Layout.Format(x.shape)}.");
        int n = x.shape[0], c = x.shape[1], l = x.Rank == 3 ? x.shape[2] : 1;
        CheckVector(weight, c, "BatchNorm weight");
        CheckVector(bias, c, "BatchNorm bias");
        CheckVector(runningMean, c, "BatchNorm running_mean");
        CheckVector(runningVar, c, "BatchNorm running_var");
        if ((runningMean is null) != (runningVar is null)) throw new ArgumentException("BatchNorm needs both running statistics or neither.");
        long count = (long)n * l;
        if (training && count <= 1)
            throw new ArgumentException($"BatchNorm in training mode needs more than 1 value per channel; got input {Layout.Format(x.shape)}.");
        if (!training && runningMean is null) throw new ArgumentException("BatchNorm in evaluation mode needs running statistics.");

        var xc = x.Contiguous();
        var wc = weight?.Contiguous();
        var bc = bias?.Contiguous();
        var xs = xc.Buffer.AsSpan(xc.offset, xc.numel);
        // stats: mean [C], rstd [C], then scale [C] and shift [C] scratch.
        var stats = Allocate([4 * c]);
        var all = stats.Buffer.AsSpan(0, 4 * c);
        var mean = all[..c];
        var rstd = all.Slice(c, c);
        var scale = all.Slice(2 * c, c);
        var shift = all.Slice(3 * c, c);

        if (training)
        {
            ChannelSums(xs, n, c, l, mean);
            TensorPrimitives.Divide(mean, count, mean);
            ChannelCenteredSquares(xs, n, c, l, mean, rstd); // rstd holds sum (x - mean)^2 for now
            if (runningMean is not null)
            {
                using var _ = Autograd.NoGrad();
                var rm = runningMean.AsSpan();
                var rv = runningVar!.AsSpan();
                for (int k = 0; k < c; k++)
                {
                    rm[k] = (1f - momentum) * rm[k] + momentum * mean[k];
                    rv[k] = (1f - momentum) * rv[k] + momentum * (float)(rstd[k] / (double)(count - 1));
                }
            }
            for (int k = 0; k < c; k++) rstd[k] = 1f / MathF.Sqrt(rstd[k] / count + eps);
        }
        else
        {
            runningMean!.Contiguous().AsReadOnlySpan().CopyTo(mean);
            var rv = runningVar!.Contiguous().AsReadOnlySpan();
            for (int k = 0; k < c; k++) rstd[k] = 1f / MathF.Sqrt(rv[k] + eps);
        }

        // y = x * scale + shift, scale = rstd * w, shift = b - mean * scale.
        if (wc is null) rstd.CopyTo(scale);
        else TensorPrimitives.Multiply(rstd, wc.AsReadOnlySpan(), scale);
        TensorPrimitives.Multiply(mean, scale, shift);
        TensorPrimitives.Negate(shift, shift);
        if (bc is not null) TensorPrimitives.Add(shift, bc.AsReadOnlySpan(), shift);
        var result = Allocate((int[])x.shape.Clone());
        ChannelAffine(xs, n, c, l, scale, shift, result.Buffer.AsSpan(0, result.numel));

        var inputs = wc is null ? (bc is null ? new[] { xc } : [xc, bc]) : (bc is null ? [xc, wc] : [xc, wc, bc]);
        return Autograd.Record(result, inputs, g =>
        {
            var gs = g.AsReadOnlySpan();
            var xv = xc.Buffer.AsSpan(xc.offset, xc.numel);
            var sv = stats.Buffer.AsSpan(0, 4 * c);
            var mu = sv[..c];
            var rs = sv.Slice(c, c);
            var sums = Zeros(3 * c);
            var sp = sums.AsSpan();
            var sumG = sp[..c];
            var sumGX = sp.Slice(c, c);
            var k1 = sp.Slice(2 * c, c);
            ChannelSums(gs, n, c, l, sumG);
            ChannelDots(gs, xv, n, c, l, sumGX);
            // sum g * xhat = rstd * (sum g x - mean * sum g)
            for (int k = 0; k < c; k++) sumGX[k] = rs[k] * (sumGX[k] - mu[k] * sumG[k]);
            if (wc is not null && wc.RequiresGrad) wc.AccumulateGrad(sumGX);
            if (bc is not null && bc.RequiresGrad) bc.AccumulateGrad(sumG);
            if (!xc.RequiresGrad) return;
            // dx = k1 * g + k2 * x + k3 with k1 = w rstd; in training k2, k3 remove the mean and the xhat projection.
            var k23 = Allocate([2 * c]);
            var k2 = k23.Buffer.AsSpan(0, c);
            var k3 = k23.Buffer.AsSpan(c, c);
            for (int k = 0; k < c; k++)
            {
                float w = wc is null ? 1f : wc.Buffer[wc.offset + k];
                k1[k] = w * rs[k];
                if (training)
                {
                    float b2 = -k1[k] * sumGX[k] / count * rs[k];   // coefficient of (x - mean)
                    k2[k] = b2;
                    k3[k] = -k1[k] * sumG[k] / count - b2 * mu[k];
                }
                else
                {
                    k2[k] = 0f;
                    k3[k] = 0f;
                }
            }
            var dx = Allocate((int[])xc.shape.Clone());
            var dxs = dx.Buffer.AsSpan(0, dx.numel);
            ChannelAffine(xv, n, c, l, k2, k3, dxs);
            ChannelMultiplyAdd(gs, n, c, l, k1, dxs);
            xc.AccumulateGrad(dx.AsReadOnlySpan());
        }, "BatchNorm");
    }

    /// <summary>Batch normalisation over axis 1; see <see cref="BatchNorm(Tensor, Tensor?, Tensor?, Tensor?, Tensor?, bool, float, float)"/>.</summary>
    public Tensor BatchNorm(Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias, bool training, float momentum = 0.1f, float eps = 1e-5f) =>
        BatchNorm(this, runningMean, runningVar, weight, bias, training, momentum, eps);

    // Channel loops over contiguous [N, C, L]: for L = 1 they run along rows of C channels
    // (vectorised across channels), otherwise along the L values of one channel.

    private static void ChannelSums(ReadOnlySpan<float> x, int n, int c, int l, Span<float> sums)
    {
        sums.Clear();
        for (int i = 0; i < n; i++)
        {
            if (l == 1) TensorPrimitives.Add(sums, x.Slice(i * c, c), sums);
            else for (int k = 0; k < c; k++) sums[k] += TensorPrimitives.Sum(x.Slice((i * c + k) * l, l));
        }
    }

    private static void ChannelDots(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int n, int c, int l, Span<float> sums)
    {
        sums.Clear();
        for (int i = 0; i < n; i++)
        {
            if (l == 1) TensorPrimitives.FusedMultiplyAdd(a.Slice(i * c, c), b.Slice(i * c, c), sums, sums);
            else for (int k = 0; k < c; k++) sums[k] += TensorPrimitives.Dot(a.Slice((i * c + k) * l, l), b.Slice((i * c + k) * l, l));
        }
    }

    private static void ChannelCenteredSquares(ReadOnlySpan<float> x, int n, int c, int l, ReadOnlySpan<float> mean, Span<float> sums)
    {
        sums.Clear();
        if (l == 1)
        {
            using var tmp = Allocate([c], owned: false);
            var t = tmp.Buffer.AsSpan(0, c);
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Subtract(x.Slice(i * c, c), mean, t);
                TensorPrimitives.FusedMultiplyAdd(t, t, sums, sums);
            }
            return;
        }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++)
                sums[k] += CenteredSumOfSquares(x.Slice((i * c + k) * l, l), mean[k]);
    }

    /// <summary>y = x * scale[channel] + shift[channel].</summary>
    private static void ChannelAffine(ReadOnlySpan<float> x, int n, int c, int l, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        for (int i = 0; i < n; i++)
        {
            if (l == 1) TensorPrimitives.FusedMultiplyAdd(x.Slice(i * c, c), scale, shift, y.Slice(i * c, c));
            else
                for (int k = 0; k < c; k++)
                {
                    int o = (i * c + k) * l;
                    TensorPrimitives.Multiply(x.Slice(o, l), scale[k], y.Slice(o, l));
                    TensorPrimitives.Add(y.Slice(o, l), shift[k], y.Slice(o, l));
                }
        }
    }

    /// <summary>y += g * scale[channel].</summary>
    private static void ChannelMultiplyAdd(ReadOnlySpan<float> g, int n, int c, int l, ReadOnlySpan<float> scale, Span<float> y)
    {
        for (int i = 0; i < n; i++)
        {
            if (l == 1) TensorPrimitives.FusedMultiplyAdd(g.Slice(i * c, c), scale, y.Slice(i * c, c), y.Slice(i * c, c));
            else
                for (int k = 0; k < c; k++)
                {
                    int o = (i * c + k) * l;
                    TensorPrimitives.MultiplyAdd(g.Slice(o, l), scale[k], y.Slice(o, l), y.Slice(o, l));
                }
        }
    }
}
