using System.Numerics.Tensors;

namespace Fusion.Runtime.Compute;

/// <summary>Non-recording kernels over tensors: copies, broadcast binary ops, reductions.</summary>
internal static class TensorKernels
{
    /// <summary>Copies the elements of <paramref name="src"/> in row-major order into dst[dstOffset..].</summary>
    public static void StridedCopy(Tensor src, float[] dst, int dstOffset)
    {
        if (src.IsContiguous)
        {
            src.Buffer.AsSpan(src.Offset, src.Numel).CopyTo(dst.AsSpan(dstOffset, src.Numel));
            return;
        }
        RowDriver.Run(new CopyRows(src.Buffer, dst, dstOffset), src.Shape, src.Strides, src.Offset, src.Strides, 0);
    }

    /// <summary>dst += src, where dst is contiguous and src has dst's shape or broadcasts to it.</summary>
    public static void AddInto(Tensor dst, Tensor src)
    {
        if (!dst.IsContiguous) throw new InvalidOperationException("AddInto needs a contiguous destination.");
        if (src.IsContiguous && src.Numel == dst.Numel && Layout.SameShape(src.Shape, dst.Shape))
        {
            var d = dst.Buffer.AsSpan(dst.Offset, dst.Numel);
            TensorPrimitives.Add(d, src.Buffer.AsSpan(src.Offset, src.Numel), d);
            return;
        }
        Span<int> sa = stackalloc int[Math.Max(dst.Rank, 1)];
        Layout.BroadcastStrides(src.Shape, src.Strides, dst.Shape, sa[..dst.Rank]);
        RowDriver.Run(new AddIntoRows(src.Buffer, dst.Buffer, dst.Offset), dst.Shape, sa[..dst.Rank], src.Offset, sa[..dst.Rank], 0);
    }

    /// <summary>view += src for a non-overlapping strided view and a source of the view's shape (any strides).</summary>
    public static void AddIntoView(Tensor view, Tensor src)
    {
        if (!Layout.SameShape(view.Shape, src.Shape)) throw new ArgumentException("AddIntoView needs equal shapes.");
        if (view.IsContiguous) { AddInto(view, src); return; }
        Tensor? copy = null;
        if (!src.IsContiguous)
        {
            copy = Tensor.Allocate((int[])src.ShapeArray.Clone());
            StridedCopy(src, copy.Buffer, 0);
        }
        var s = copy ?? src;
        RowDriver.Run(new ScatterAddRows(view.Buffer, s.Buffer, s.Offset), view.Shape, view.Strides, view.Offset, view.Strides, 0);
        copy?.Dispose();
    }

    /// <summary>A new contiguous tensor op(a, b) with NumPy broadcasting.</summary>
    public static Tensor Binary<TOp>(Tensor a, Tensor b) where TOp : IBinaryOp
    {
        int[] outShape = Layout.SameShape(a.Shape, b.Shape) ? a.ShapeArray : Layout.Broadcast(a.Shape, b.Shape);
        var result = Tensor.Allocate(outShape == a.ShapeArray ? (int[])outShape.Clone() : outShape);
        BinaryInto<TOp>(a, b, result);
        return result;
    }

    /// <summary>result = op(a, b); result is contiguous with the broadcast shape (may alias a or b exactly).</summary>
    public static void BinaryInto<TOp>(Tensor a, Tensor b, Tensor result) where TOp : IBinaryOp
    {
        int n = result.Numel;
        var dst = result.Buffer;
        if (a.IsContiguous && b.IsContiguous && a.Numel == n && b.Numel == n)
        {
            TOp.Run(a.Buffer.AsSpan(a.Offset, n), b.Buffer.AsSpan(b.Offset, n), dst.AsSpan(result.Offset, n));
            return;
        }
        if (b.Numel == 1 && a.IsContiguous && a.Numel == n)
        {
            TOp.Run(a.Buffer.AsSpan(a.Offset, n), b.Buffer[b.Offset], dst.AsSpan(result.Offset, n));
            return;
        }
        if (a.Numel == 1 && b.IsContiguous && b.Numel == n)
        {
            TOp.Run(a.Buffer[a.Offset], b.Buffer.AsSpan(b.Offset, n), dst.AsSpan(result.Offset, n));
            return;
        }
        int r = result.Rank;
        Span<int> sa = stackalloc int[Math.Max(r, 1)];
        Span<int> sb = stackalloc int[Math.Max(r, 1)];
        Layout.BroadcastStrides(a.Shape, a.Strides, result.Shape, sa[..r]);
        Layout.BroadcastStrides(b.Shape, b.Strides, result.Shape, sb[..r]);
        RowDriver.Run(new BinaryRows<TOp>(a.Buffer, b.Buffer, dst, result.Offset), result.Shape, sa[..r], a.Offset, sb[..r], b.Offset);
    }

    /// <summary>The contiguous elements of t: its own span when contiguous, otherwise a pooled copy (returned in <paramref name="copy"/> for disposal).</summary>
    public static ReadOnlySpan<float> ContiguousData(Tensor t, out Tensor? copy)
    {
        if (t.IsContiguous)
        {
            copy = null;
            return t.Buffer.AsSpan(t.Offset, t.Numel);
        }
        copy = Tensor.Allocate((int[])t.ShapeArray.Clone());
        StridedCopy(t, copy.Buffer, 0);
        return copy.Buffer.AsSpan(0, t.Numel);
    }

    /// <summary>Sums <paramref name="g"/> down to <paramref name="target"/> (the inverse of broadcasting). Returns a new tensor.</summary>
    public static Tensor SumToShape(Tensor g, ReadOnlySpan<int> target)
    {
        int r = g.Rank, t = target.Length;
        if (t > r) throw new ArgumentException($"Cannot sum shape {Layout.Format(g.Shape)} down to {Layout.Format(target)}.");
        var axes = new List<int>();
        for (int i = 0; i < r; i++)
        {
            if (i < r - t) { axes.Add(i); continue; }
            int td = target[i - (r - t)];
            if (td == g.Shape[i]) continue;
            if (td == 1) axes.Add(i);
            else throw new ArgumentException($"Cannot sum shape {Layout.Format(g.Shape)} down to {Layout.Format(target)}.");
        }
        var reduced = Reduce(g, axes.ToArray(), ReduceKind.Sum);
        // reduced has g's rank with ones at the reduced axes; drop the leading ones.
        return Tensor.ViewOf(reduced, target.ToArray());
    }

    public enum ReduceKind { Sum, Max, Min }

    /// <summary>
    /// Reduces x over the given axes (sorted, distinct, normalised); the result keeps x's rank
    /// with ones at the reduced axes and is a new contiguous tensor.
    /// </summary>
    public static Tensor Reduce(Tensor x, int[] axes, ReduceKind kind)
    {
        int rank = x.Rank;
        var reduceMask = new bool[rank];
        foreach (int a in axes) reduceMask[a] = true;
        Tensor current = x;
        bool ownsCurrent = false;
        if (!current.IsContiguous)
        {
            current = Tensor.Allocate((int[])x.ShapeArray.Clone());
            StridedCopy(x, current.Buffer, 0);
            ownsCurrent = true;
        }
        int i = 0;
        bool any = false;
        while (i < rank)
        {
            if (!reduceMask[i] || current.Shape[i] == 1) { i++; continue; }
            int j = i;
            while (j + 1 < rank && reduceMask[j + 1]) j++;
            var next = ReduceBlock(current, i, j, kind);
            if (ownsCurrent) current.Dispose();
            current = next;
            ownsCurrent = true;
            any = true;
            i = j + 1;
        }
        if (!any)
        {
            // Nothing to reduce (all reduced axes have size 1): a copy with the same shape.
            var copy = Tensor.Allocate((int[])x.ShapeArray.Clone());
            StridedCopy(current, copy.Buffer, 0);
            if (ownsCurrent) current.Dispose();
            return copy;
        }
        return current;
    }

    /// <summary>Reduces the contiguous tensor x over axes first..last (adjacent).</summary>
    private static Tensor ReduceBlock(Tensor x, int first, int last, ReduceKind kind)
    {
        var shape = x.Shape;
        int outer = 1, reduce = 1, inner = 1;
        for (int k = 0; k < first; k++) outer *= shape[k];
        for (int k = first; k <= last; k++) reduce *= shape[k];
        for (int k = last + 1; k < shape.Length; k++) inner *= shape[k];
        var outShape = shape.ToArray();
        for (int k = first; k <= last; k++) outShape[k] = 1;
        var result = Tensor.Allocate(outShape);
        var src = x.Buffer;
        int srcOff = x.Offset;
        var dst = result.Buffer;
        if (reduce == 0)
        {
            dst.AsSpan(0, result.Numel).Fill(kind switch
            {
                ReduceKind.Sum => 0f,
                _ => throw new InvalidOperationException("Max/Min over an empty dimension."),
            });
            return result;
        }
        int chunks = Parallelism.Chunks(outer, (long)outer * reduce * inner);
        Parallelism.For(outer, chunks, (start, end) =>
        {
            for (int o = start; o < end; o++)
            {
                int baseIn = srcOff + o * reduce * inner;
                if (inner == 1)
                {
                    var row = src.AsSpan(baseIn, reduce);
                    dst[o] = kind switch
                    {
                        ReduceKind.Sum => TensorPrimitives.Sum(row),
                        ReduceKind.Max => TensorPrimitives.Max(row),
                        _ => TensorPrimitives.Min(row),
                    };
                    continue;
                }
                var d = dst.AsSpan(o * inner, inner);
                src.AsSpan(baseIn, inner).CopyTo(d);
                for (int r = 1; r < reduce; r++)
                {
                    var s = src.AsSpan(baseIn + r * inner, inner);
                    switch (kind)
                    {
                        case ReduceKind.Sum: TensorPrimitives.Add(d, s, d); break;
                        case ReduceKind.Max: TensorPrimitives.Max(d, s, d); break;
                        default: TensorPrimitives.Min(d, s, d); break;
                    }
                }
            }
        });
        return result;
    }
}
