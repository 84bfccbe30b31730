using Fusion.Runtime.Compute;
using Fusion.Runtime.Kernels;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with PyTorch's matmul semantics: 1-D operands are promoted (and the added
    /// dimension removed), 2-D is a plain product, and leading (batch) dimensions broadcast.
    /// Transposed views are handed to GEMM as transposes, without copying.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.Rank == 0 || b.Rank == 0) throw new ArgumentException("MatMul needs operands of rank 1 or more.");
        if (a.Rank == 1 && b.Rank == 1)
        {
            if (a.shape[0] != b.shape[0]) throw new ArgumentException($"MatMul: vectors of lengths {a.shape[0]} and {b.shape[0]}.");
            return MatMul(a.Unsqueeze(0), b.Unsqueeze(1)).Reshape();
        }
        if (a.Rank == 1) return MatMul(a.Unsqueeze(0), b).Squeeze(-2);
        if (b.Rank == 1) return MatMul(a, b.Unsqueeze(1)).Squeeze(-1);
        return MatMulCore(a, b);
    }

    public Tensor MatMul(Tensor other) => MatMul(this, other);

    private static Tensor MatMulCore(Tensor a, Tensor b)
    {
        int m = a.shape[^2], k = a.shape[^1], kb = b.shape[^2], n = b.shape[^1];
        if (k != kb)
            throw new ArgumentException($"MatMul: inner dimensions differ: {Layout.Format(a.shape)} @ {Layout.Format(b.shape)}.");
        var batch = Layout.Broadcast(a.shape.AsSpan(0, a.Rank - 2), b.shape.AsSpan(0, b.Rank - 2));
        var outShape = new int[batch.Length + 2];
        batch.CopyTo(outShape, 0);
        outShape[^2] = m;
        outShape[^1] = n;
        var result = Allocate(outShape);
        MatMulInto(a, b, result, batch, m, n, k);
        return Autograd.Record(result, [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGrad(MatMul(g, b.Transpose(-1, -2)));
            if (b.RequiresGrad)
            {
                if (b.Rank == 2 && a.Rank > 2)
                {
                    // Sum over the batch folded into one product: A^T (B*m x k)^T @ g (B*m x n).
                    var a2 = a.Reshape(-1, k);
                    var g2 = g.Reshape(-1, n);
                    b.AccumulateGrad(MatMul(a2.Transpose(0, 1), g2));
                }
                else b.AccumulateGrad(MatMul(a.Transpose(-1, -2), g));
            }
        }, "MatMul");
    }

    /// <summary>How a 2-D strided matrix is passed to GEMM: as stored or transposed, with its leading dimension.</summary>
    private static bool GemmLayout(int rows, int cols, int rowStride, int colStride, out bool transposed, out int ld)
    {
        if (colStride == 1 && (rows == 1 || rowStride >= Math.Max(cols, 1)))
        {
            transposed = false;
            ld = rows == 1 ? Math.Max(cols, 1) : rowStride;
            return true;
        }
        if (rowStride == 1 && (cols == 1 || colStride >= Math.Max(rows, 1)))
        {
            transposed = true;
            ld = cols == 1 ? Math.Max(rows, 1) : colStride;
            return true;
        }
        transposed = false;
        ld = 0;
        return false;
    }

    private static void MatMulInto(Tensor a, Tensor b, Tensor result, int[] batch, int m, int n, int k)
    {
        var dst = result.Buffer;
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            dst.AsSpan(0, result.numel).Clear();
            return;
        }
        // A batch of rows against one matrix: fold the batch into the rows of a single product.
        if (b.Rank == 2 && a.Rank > 2 && a.contiguous)
        {
            int rows = a.numel / k;
            if (!GemmLayout(k, n, b.strides[0], b.strides[1], out bool tb0, out int ldb0))
            {
                using var bc = b.CopyContiguousUntracked();
                Gemm.Multiply(false, false, rows, n, k, 1f, a.Buffer.AsSpan(a.offset), k, bc.Buffer, n, 0f, dst.AsSpan(0, rows * n), n);
                return;
            }
            Gemm.Multiply(false, tb0, rows, n, k, 1f, a.Buffer.AsSpan(a.offset), k, b.Buffer.AsSpan(b.offset), ldb0, 0f, dst.AsSpan(0, rows * n), n);
            return;
        }

        Tensor? aCopy = null, bCopy = null;
        var ea = a;
        var eb = b;
        if (!GemmLayout(m, k, a.strides[^2], a.strides[^1], out _, out _)) ea = aCopy = a.CopyContiguousUntracked();
        if (!GemmLayout(k, n, b.strides[^2], b.strides[^1], out _, out _)) eb = bCopy = b.CopyContiguousUntracked();
        GemmLayout(m, k, ea.strides[^2], ea.strides[^1], out bool ta, out int lda);
        GemmLayout(k, n, eb.strides[^2], eb.strides[^1], out bool tb, out int ldb);

        int batchCount = Layout.Numel(batch);
        var batchStridesA = new int[batch.Length];
        var batchStridesB = new int[batch.Length];
        Layout.BroadcastStrides(ea.shape.AsSpan(0, ea.Rank - 2), ea.strides.AsSpan(0, ea.Rank - 2), batch, batchStridesA);
        Layout.BroadcastStrides(eb.shape.AsSpan(0, eb.Rank - 2), eb.strides.AsSpan(0, eb.Rank - 2), batch, batchStridesB);
        var bufA = ea.Buffer;
        var bufB = eb.Buffer;
        int offA = ea.offset, offB = eb.offset;
        int mn = m * n;

        void RunBatches(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                int oa = offA, ob = offB, rest = i;
                for (int d = batch.Length - 1; d >= 0; d--)
                {
                    int idx = rest % batch[d];
                    rest /= batch[d];
                    oa += idx * batchStridesA[d];
                    ob += idx * batchStridesB[d];
                }
                Gemm.Multiply(ta, tb, m, n, k, 1f, bufA.AsSpan(oa), lda, bufB.AsSpan(ob), ldb, 0f, dst.AsSpan(i * mn, mn), n);
            }
        }

        long work = (long)m * n * k;
        // Small products per batch: split the batches over cores (GEMM itself would not).
        int chunks = work < (1 << 18) ? Parallelism.Chunks(batchCount, work * batchCount / 8) : 1;
        Parallelism.For(batchCount, chunks, RunBatches);
        aCopy?.Dispose();
        bCopy?.Dispose();
    }

    /// <summary>Batched outer product: a [..., m] and b [..., n] give [..., m, n] (leading dimensions broadcast).</summary>
    public static Tensor Outer(Tensor a, Tensor b) => a.Unsqueeze(-1) * b.Unsqueeze(-2);
}
