using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// Binary cross-entropy on logits (PyTorch's <c>F.binary_cross_entropy_with_logits</c>),
    /// in the numerically stable form
    /// <c>l = (1 - y) x + w (log(1 + exp(-|x|)) + max(-x, 0))</c> with
    /// <c>w = 1 + (posWeight - 1) y</c> (w = 1 without a positive weight), which never
    /// exponentiates a positive number. Targets y (probabilities in [0, 1]) have the logits'
    /// shape; <paramref name="posWeight"/> broadcasts to it (typically [C] for [B, C] logits).
    /// Gradients reach the logits, and also the targets and posWeight when they require them.
    /// </summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor targets, Tensor? posWeight = null, Reduction reduction = Reduction.Mean)
    {
        if (!logits.Shape.SequenceEqual(targets.Shape))
            throw new ArgumentException($"BceWithLogits: targets {Layout.Format(targets.Shape)} must have the logits' shape {Layout.Format(logits.Shape)}.");
        if (logits.Numel == 0 && reduction == Reduction.Mean) throw new ArgumentException("BceWithLogits with mean reduction over no elements.");
        var shape = logits.Shape.ToArray();
        var x = logits.IsContiguous ? logits : logits.CopyContiguousUntracked();
        var y = targets.IsContiguous ? targets : targets.CopyContiguousUntracked();
        float[]? weights = null;
        if (posWeight is not null)
        {
            using var _ = Autograd.NoGrad();
            using var expanded = posWeight.Expand(shape);
            weights = expanded.ToArray();
        }
        int n = logits.Numel;
        var xs = x.AsReadOnlySpan();
        var ys = y.AsReadOnlySpan();
        var losses = Tensor.Empty(shape);
        var ls = losses.AsSpan();
        for (int i = 0; i < n; i++)
        {
            double xi = xs[i], yi = ys[i];
            double w = weights is null ? 1.0 : 1.0 + (weights[i] - 1.0) * yi;
            ls[i] = (float)((1.0 - yi) * xi + w * SoftplusOfNegative(xi));
        }

        var result = reduction == Reduction.None ? losses : ReduceUntracked(losses, reduction);
        if (!ReferenceEquals(result, losses)) losses.Dispose();
        var inputs = posWeight is null ? new[] { logits, targets } : new[] { logits, targets, posWeight };
        if (!Autograd.NeedsGrad(inputs))
        {
            if (!ReferenceEquals(x, logits)) x.Dispose();
            if (!ReferenceEquals(y, targets)) y.Dispose();
            return result;
        }
        return Autograd.Record(result, inputs, g =>
        {
            var gs = g.ToArray();
            float Scale(int i) => reduction switch
            {
                Reduction.None => gs[i],
                Reduction.Mean => gs[0] / n,
                _ => gs[0],
            };
            var xv = x.AsReadOnlySpan();
            var yv = y.AsReadOnlySpan();
            if (logits.RequiresGrad)
            {
                // dl/dx = (1 - y) - w sigmoid(-x)
                var dx = Tensor.Empty(shape);
                var ds = dx.AsSpan();
                for (int i = 0; i < n; i++)
                {
                    double w = weights is null ? 1.0 : 1.0 + (weights[i] - 1.0) * yv[i];
                    ds[i] = Scale(i) * (float)((1.0 - yv[i]) - w * SigmoidOfNegative(xv[i]));
                }
                logits.AccumulateGrad(dx);
            }
            if (targets.RequiresGrad)
            {
                // dl/dy = -x + (posWeight - 1) softplus(-x)
                var dy = Tensor.Empty(shape);
                var ds = dy.AsSpan();
                for (int i = 0; i < n; i++)
                {
                    double pwm1 = weights is null ? 0.0 : weights[i] - 1.0;
                    ds[i] = Scale(i) * (float)(-xv[i] + pwm1 * SoftplusOfNegative(xv[i]));
                }
                targets.AccumulateGrad(dy);
            }
            if (posWeight is not null && posWeight.RequiresGrad)
            {
                // dl/dposWeight = y softplus(-x), summed down to posWeight's shape by AccumulateGrad.
                var dp = Tensor.Empty(shape);
                var ds = dp.AsSpan();
                for (int i = 0; i < n; i++) ds[i] = Scale(i) * (float)(yv[i] * SoftplusOfNegative(xv[i]));
                posWeight.AccumulateGrad(dp);
            }
        }, "BceWithLogits");
    }

    /// <summary>log(1 + exp(-x)) = log1p(exp(-|x|)) + max(-x, 0), without overflow.</summary>
    private static double SoftplusOfNegative(double x) => double.LogP1(Math.Exp(-Math.Abs(x))) + Math.Max(-x, 0.0);

    /// <summary>sigmoid(-x) = 1 / (1 + exp(x)), without overflow.</summary>
    private static double SigmoidOfNegative(double x)
    {
        if (x >= 0)
        {
            double e = Math.Exp(-x);
            return e / (1.0 + e);
        }
        return 1.0 / (1.0 + Math.Exp(x));
    }

    /// <summary>The mean or sum of a loss tensor as a fresh scalar, accumulated in double, not recorded.</summary>
    private static Tensor ReduceUntracked(Tensor losses, Reduction reduction)
    {
        double total = 0;
        foreach (var v in losses.AsReadOnlySpan()) total += v;
        return Tensor.Scalar((float)(reduction == Reduction.Mean ? total / losses.Numel : total));
    }
}
