using System.Numerics.Tensors;

namespace Fusion.Runtime.Compute;

/// <summary>
/// A kernel applied to runs of a contiguous output: elements [outStart, outStart + length)
/// of the destination, operand A starting at offA with element stride strideA (0 = broadcast),
/// operand B likewise.
/// </summary>
internal interface IRowKernel
{
    void Row(int outStart, int length, int offA, int strideA, int offB, int strideB);
}

/// <summary>Drives an <see cref="IRowKernel"/> over broadcast, strided operands.</summary>
internal static class RowDriver
{
    /// <param name="outShape">Shape of the (contiguous) output.</param>
    /// <param name="stridesA">Strides of operand A already broadcast to outShape (rank of outShape).</param>
    /// <param name="costPerElement">Relative cost, to decide whether to split over cores.</param>
    public static void Run<TK>(TK kernel, ReadOnlySpan<int> outShape, ReadOnlySpan<int> stridesA, int baseA, ReadOnlySpan<int> stridesB, int baseB, int costPerElement = 1)
        where TK : struct, IRowKernel
    {
        int r = outShape.Length;
        int n = Layout.Numel(outShape);
        if (n == 0) return;
        Span<int> dims = stackalloc int[Math.Max(r, 1)];
        Span<int> sa = stackalloc int[Math.Max(r, 1)];
        Span<int> sb = stackalloc int[Math.Max(r, 1)];
        outShape.CopyTo(dims);
        stridesA.CopyTo(sa);
        stridesB.CopyTo(sb);
        int rank = StridedCursor.Coalesce(dims, sa, sb, r);
        int inner = dims[rank - 1];
        int ia = sa[rank - 1], ib = sb[rank - 1];
        int outer = n / inner;
        int chunks = Parallelism.Chunks(outer, (long)n * costPerElement);
        if (chunks <= 1)
        {
            Span<int> scratch = stackalloc int[Math.Max(rank - 1, 1)];
            var cursor = new StridedCursor(dims[..(rank - 1)], sa[..(rank - 1)], sb[..(rank - 1)], scratch, baseA, baseB, 0);
            for (int o = 0; o < outer; o++)
            {
                kernel.Row(o * inner, inner, cursor.OffsetA, ia, cursor.OffsetB, ib);
                cursor.Advance();
            }
            return;
        }
        int[] d = dims[..(rank - 1)].ToArray(), a = sa[..(rank - 1)].ToArray(), b = sb[..(rank - 1)].ToArray();
        Parallelism.For(outer, chunks, (start, end) =>
        {
            Span<int> scratch = stackalloc int[Math.Max(d.Length, 1)];
            var cursor = new StridedCursor(d, a, b, scratch, baseA, baseB, start);
            for (int o = start; o < end; o++)
            {
                kernel.Row(o * inner, inner, cursor.OffsetA, ia, cursor.OffsetB, ib);
                cursor.Advance();
            }
        });
    }
}

/// <summary>dst = op(A, B) element-wise.</summary>
internal readonly struct BinaryRows<TOp> : IRowKernel where TOp : IBinaryOp
{
    private readonly float[] a, b, dst;
    private readonly int dstOffset;

    public BinaryRows(float[] a, float[] b, float[] dst, int dstOffset)
    {
        this.a = a; this.b = b; this.dst = dst; this.dstOffset = dstOffset;
    }

    public void Row(int outStart, int length, int offA, int strideA, int offB, int strideB)
    {
        var d = dst.AsSpan(dstOffset + outStart, length);
        if (strideA == 1 && strideB == 1) TOp.Run(a.AsSpan(offA, length), b.AsSpan(offB, length), d);
        else if (strideA == 1 && strideB == 0) TOp.Run(a.AsSpan(offA, length), b[offB], d);
        else if (strideA == 0 && strideB == 1) TOp.Run(a[offA], b.AsSpan(offB, length), d);
        else
        {
            for (int j = 0; j < length; j++) d[j] = TOp.Apply(a[offA + j * strideA], b[offB + j * strideB]);
        }
    }
}

/// <summary>dst = A (strided copy; B unused).</summary>
internal readonly struct CopyRows : IRowKernel
{
    private readonly float[] a, dst;
    private readonly int dstOffset;

    public CopyRows(float[] a, float[] dst, int dstOffset)
    {
        this.a = a; this.dst = dst; this.dstOffset = dstOffset;
    }

    public void Row(int outStart, int length, int offA, int strideA, int offB, int strideB)
    {
        var d = dst.AsSpan(dstOffset + outStart, length);
        if (strideA == 1) a.AsSpan(offA, length).CopyTo(d);
        else if (strideA == 0) d.Fill(a[offA]);
        else for (int j = 0; j < length; j++) d[j] = a[offA + j * strideA];
    }
}

/// <summary>dst += A (B unused).</summary>
internal readonly struct AddIntoRows : IRowKernel
{
    private readonly float[] a, dst;
    private readonly int dstOffset;

    public AddIntoRows(float[] a, float[] dst, int dstOffset)
    {
        this.a = a; this.dst = dst; this.dstOffset = dstOffset;
    }

    public void Row(int outStart, int length, int offA, int strideA, int offB, int strideB)
    {
        var d = dst.AsSpan(dstOffset + outStart, length);
        if (strideA == 1) TensorPrimitives.Add(d, a.AsSpan(offA, length), d);
        else if (strideA == 0) TensorPrimitives.Add(d, a[offA], d);
        else for (int j = 0; j < length; j++) d[j] += a[offA + j * strideA];
    }
}

/// <summary>A[offA + j * strideA] += src[srcOffset + outStart + j]: adds a contiguous source into a strided view (B unused).</summary>
internal readonly struct ScatterAddRows : IRowKernel
{
    private readonly float[] target, src;
    private readonly int srcOffset;

    public ScatterAddRows(float[] target, float[] src, int srcOffset)
    {
        this.target = target; this.src = src; this.srcOffset = srcOffset;
    }

    public void Row(int outStart, int length, int offA, int strideA, int offB, int strideB)
    {
        var s = src.AsSpan(srcOffset + outStart, length);
        if (strideA == 1)
        {
            var d = target.AsSpan(offA, length);
            TensorPrimitives.Add(d, s, d);
        }
        else for (int j = 0; j < length; j++) target[offA + j * strideA] += s[j];
    }
}
