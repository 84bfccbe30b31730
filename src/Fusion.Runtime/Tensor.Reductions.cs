using System.Numerics.Tensors;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    private int[] NormalizeAxes(ReadOnlySpan<int> axes)
    {
        var result = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++) result[i] = Layout.NormalizeAxis(axes[i], shape.Length, nameof(axes));
        Array.Sort(result);
        for (int i = 1; i < result.Length; i++)
            if (result[i] == result[i - 1]) throw new ArgumentException($"Axis {result[i]} repeated.");
        return result;
    }

    private int[] ReducedShape(int[] axes, bool keepDim)
    {
        var s = new List<int>(shape.Length);
        for (int i = 0; i < shape.Length; i++)
        {
            bool reduced = Array.IndexOf(axes, i) >= 0;
            if (!reduced) s.Add(shape[i]);
            else if (keepDim) s.Add(1);
        }
        return s.ToArray();
    }

    private int[] KeepDimShape(int[] axes)
    {
        var s = (int[])shape.Clone();
        foreach (int a in axes) s[a] = 1;
        return s;
    }

    private static int[] AllAxes(int rank)
    {
        var axes = new int[rank];
        for (int i = 0; i < rank; i++) axes[i] = i;
        return axes;
    }

    /// <summary>The reduced values with the keepDim shape (ones at reduced axes), as a new contiguous tensor.</summary>
    private Tensor ReduceKeep(int[] axes, TensorKernels.ReduceKind kind)
    {
        if (axes.Length == shape.Length && contiguous && numel > 0)
        {
            var span = Buffer.AsSpan(offset, numel);
            float v = kind switch
            {
                TensorKernels.ReduceKind.Sum => TensorPrimitives.Sum(span),
                TensorKernels.ReduceKind.Max => TensorPrimitives.Max(span),
                _ => TensorPrimitives.Min(span),
            };
            var t = Allocate(KeepDimShape(axes));
            t.Buffer[0] = v;
            return t;
        }
        return TensorKernels.Reduce(this, axes, kind);
    }

    private Tensor Finish(Tensor keep, int[] axes, bool keepDim)
    {
        if (keepDim) return keep;
        var view = ViewOf(keep, ReducedShape(axes, keepDim: false));
        keep.Dispose();
        return view;
    }

    /// <summary>Sum of all elements (a 0-d tensor).</summary>
    public Tensor Sum() => Sum(AllAxes(shape.Length), keepDim: false);

    public Tensor Sum(int axis, bool keepDim = false) => Sum([axis], keepDim);

    public Tensor Sum(ReadOnlySpan<int> axes, bool keepDim = false)
    {
        var ax = NormalizeAxes(axes);
        var keepShape = KeepDimShape(ax);
        var result = Finish(ReduceKeep(ax, TensorKernels.ReduceKind.Sum), ax, keepDim);
        return Autograd.Record(result, [this], g => AccumulateGrad(ViewOf(g, keepShape).Expand(shape)), "Sum");
    }

    /// <summary>Mean of all elements (a 0-d tensor).</summary>
    public Tensor Mean() => Mean(AllAxes(shape.Length), keepDim: false);

    public Tensor Mean(int axis, bool keepDim = false) => Mean([axis], keepDim);

    public Tensor Mean(ReadOnlySpan<int> axes, bool keepDim = false)
    {
        var ax = NormalizeAxes(axes);
        int count = 1;
        foreach (int a in ax) count *= shape[a];
        var keepShape = KeepDimShape(ax);
        var keep = ReduceKeep(ax, TensorKernels.ReduceKind.Sum);
        var span = keep.AsSpan();
        TensorPrimitives.Multiply(span, 1f / count, span);
        var result = Finish(keep, ax, keepDim);
        return Autograd.Record(result, [this], g =>
        {
            var scaled = ViewOf(g, keepShape) * (1f / count);
            AccumulateGrad(scaled.Expand(shape));
        }, "Mean");
    }

    /// <summary>Largest element (a 0-d tensor). The gradient is shared equally among tied maxima.</summary>
    public Tensor Max() => Max(AllAxes(shape.Length), keepDim: false);

    public Tensor Max(int axis, bool keepDim = false) => Max([axis], keepDim);

    public Tensor Max(ReadOnlySpan<int> axes, bool keepDim = false) => Extreme(axes, keepDim, TensorKernels.ReduceKind.Max, "Max");

    /// <summary>Smallest element (a 0-d tensor). The gradient is shared equally among tied minima.</summary>
    public Tensor Min() => Min(AllAxes(shape.Length), keepDim: false);

    public Tensor Min(int axis, bool keepDim = false) => Min([axis], keepDim);

    public Tensor Min(ReadOnlySpan<int> axes, bool keepDim = false) => Extreme(axes, keepDim, TensorKernels.ReduceKind.Min, "Min");

    private Tensor Extreme(ReadOnlySpan<int> axes, bool keepDim, TensorKernels.ReduceKind kind, string name)
    {
        var ax = NormalizeAxes(axes);
        if (numel == 0) throw new InvalidOperationException($"{name} of an empty tensor.");
        var keepShape = KeepDimShape(ax);
        var keep = ReduceKeep(ax, kind);
        var result = keepDim ? keep : ViewOf(keep, ReducedShape(ax, keepDim: false));
        return Autograd.Record(result, [this], g =>
        {
            var mask = Eq(keep);
            var count = mask.Sum(ax, keepDim: true);
            AccumulateGrad(mask * (ViewOf(g, keepShape) / count));
        }, name);
    }

    /// <summary>log(sum(exp(x))) along an axis, computed stably (max subtracted); the gradient is softmax(x) * g.</summary>
    public Tensor LogSumExp(int axis, bool keepDim = false)
    {
        int a = Layout.NormalizeAxis(axis, shape.Length);
        Tensor result;
        using (Autograd.NoGrad())
        {
            using var max = Max(a, keepDim: true);
            var finiteMax = max.MaskedFill(max.Abs().Eq(float.PositiveInfinity), 0f);
            using var shifted = this - finiteMax;
            using var e = shifted.Exp();
            using var sum = e.Sum(a, keepDim: true);
            using var log = sum.Log();
            var keep = log + finiteMax;
            finiteMax.Dispose();
            result = keepDim ? keep : keep.Squeeze(a);
        }
        var keepShape = KeepDimShape([a]);
        return Autograd.Record(result, [this], g =>
        {
            var lse = ViewOf(result.Contiguous(), keepShape);
            AccumulateGrad((this - lse).Exp() * ViewOf(g, keepShape));
        }, "LogSumExp");
    }

    /// <summary>Standard deviation along an axis (unbiased = divide by n - 1).</summary>
    public Tensor Std(int axis, bool keepDim = false, bool unbiased = true) => Var(axis, keepDim, unbiased).Sqrt();

    /// <summary>Variance over the axes (unbiased = divide by n - 1).</summary>
    public Tensor Var(int axis, bool keepDim = false, bool unbiased = true)
    {
        int a = Layout.NormalizeAxis(axis, shape.Length);
        int n = shape[a];
        var centred = this - Mean(a, keepDim: true);
        var sumSq = centred.Square().Sum(a, keepDim);
        return sumSq / (unbiased ? Math.Max(n - 1, 1) : n);
    }

    /// <summary>
    /// True when both tensors have the same shape and |a - b| &lt;= atol + rtol * |b| everywhere
    /// (NaN equals nothing). Not recorded.
    /// </summary>
    public bool AllClose(Tensor other, float rtol = 1e-5f, float atol = 1e-8f)
    {
        if (!Layout.SameShape(shape, other.shape)) return false;
        var a = ToArray();
        var b = other.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i]) continue;
            if (!(MathF.Abs(a[i] - b[i]) <= atol + rtol * MathF.Abs(b[i]))) return false;
        }
        return true;
    }

    /// <summary>Index of the largest element along an axis (first on ties); not differentiable.</summary>
    public LongTensor ArgMax(int axis = -1, bool keepDim = false) => ArgExtreme(axis, keepDim, max: true);

    /// <summary>Index of the smallest element along an axis (first on ties); not differentiable.</summary>
    public LongTensor ArgMin(int axis = -1, bool keepDim = false) => ArgExtreme(axis, keepDim, max: false);

    private LongTensor ArgExtreme(int axis, bool keepDim, bool max)
    {
        int a = Layout.NormalizeAxis(axis, shape.Length);
        var x = contiguous ? this : CopyContiguousUntracked();
        int outer = 1, inner = 1, r = shape[a];
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.Length; i++) inner *= shape[i];
        var result = new long[outer * inner];
        var src = x.Buffer;
        int off = x.offset;
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                float bestValue = src[off + o * r * inner + i];
                for (int k = 1; k < r; k++)
                {
                    float v = src[off + (o * r + k) * inner + i];
                    if (max ? v > bestValue : v < bestValue) { best = k; bestValue = v; }
                }
                result[o * inner + i] = best;
            }
        }
        if (!ReferenceEquals(x, this)) x.Dispose();
        return LongTensor.FromArray(result, ReducedShape([a], keepDim));
    }
}
