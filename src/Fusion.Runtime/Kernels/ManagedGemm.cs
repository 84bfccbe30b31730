using System.Runtime.Intrinsics;

namespace Fusion.Runtime.Kernels;

/// <summary>
/// Blocked SIMD single-precision GEMM in managed code (row-major, C = alpha op(A) op(B) + beta C).
/// Loop order: column panels of C (nc wide) -> k blocks (kc deep; the kc x nc block of op(B) packed into
/// NR-wide slivers, 512 KB at most, kept in L2) -> MR-row slivers of op(A), read in place (kept in L1)
/// -> NR-wide slivers of the B panel -> micro-kernel (<see cref="GemmMicroKernels"/>).
/// Large products are split over threads by rows or columns of C (never over k), each thread with its own
/// packing buffer, so every element of C is computed by the same operations whatever the thread count:
/// results are bit-identical run to run and across thread counts.
/// </summary>
internal static unsafe class ManagedGemm
{
    /// <summary>Deepest k block; 256 keeps an 8 x kc A sliver (8 KB) and a kc x 32 B sliver (32 KB) near L1.</summary>
    internal const int KcMax = 256;

    /// <summary>Widest column panel; a kc x nc packed B panel is 512 KB, half of the L2 of one core.</summary>
    internal const int NcMax = 512;

    /// <summary>
    /// Products below this many flops (2 m n k) run on the calling thread only. Measured on the 2-core development
    /// machine while idle: a second thread already gains 1.3x at 64^3 (0.5 MFLOP) and 32x300x64 (1.2 MFLOP); since a
    /// late helper costs the caller nothing (<see cref="GemmChunks"/>), the threshold sits at 1 MFLOP.
    /// </summary>
    internal const long ParallelThresholdFlops = 1 << 20;

    /// <summary>Threads worth using for an m x n x k product on this machine.</summary>
    public static int ThreadsFor(int m, int n, int k) =>
        2.0 * m * n * k < ParallelThresholdFlops ? 1 : Environment.ProcessorCount;

    /// <summary>Row ranges of C up to this many rows read a non-transposed B in place instead of packing it.</summary>
    internal const int DirectBMaxRows = 128;

    /// <summary>Chunks per thread when splitting costs no extra packing.</summary>
    internal const int ChunksPerThread = 4;

    /// <summary>Whether the 512-bit micro-kernel runs by default on this machine.</summary>
    public static bool Vector512Available => Vector512.IsHardwareAccelerated;

    /// <summary>A family of micro-kernels of one width: heights largest first, with step and row variants per height.</summary>
    private sealed class KernelSet(int width, int[] heights, nint[] stepKernels, nint[] rowKernels)
    {
        public int NR { get; } = width;
        public int MR { get; } = heights[0];

        /// <summary>Index of the tallest kernel that fits in <paramref name="rows"/> rows.</summary>
        public int Fit(int rows)
        {
            int h = 0;
            while (heights[h] > rows) h++;
            return h;
        }

        public int Height(int index) => heights[index];

        public void Run(int index, bool rowA, int kc, float* a, nint aStride, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr) =>
            ((delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)(rowA ? rowKernels[index] : stepKernels[index]))(
                kc, a, aStride, b, bStep, c, ldc, alpha, beta, nr);
    }

    private static readonly KernelSet Kernels512 = new(GemmMicroKernels512.Width, GemmMicroKernels512.Heights,
        GemmMicroKernels512.StepKernels, GemmMicroKernels512.RowKernels);

    private static readonly KernelSet Kernels256 = new(GemmMicroKernels256.Width, GemmMicroKernels256.Heights,
        GemmMicroKernels256.StepKernels, GemmMicroKernels256.RowKernels);

    /// <summary>
    /// Computes the product. Arguments must already be validated and m, n, k all positive.
    /// <paramref name="maxThreads"/> is the number of threads to split over (capped by the slivers available); <paramref name="useVector512"/> picks the micro-kernel.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc, int maxThreads, bool useVector512)
    {
        KernelSet shape = useVector512 ? Kernels512 : Kernels256;
        int threads = Math.Max(1, maxThreads);

        // Few columns and A not transposed: dot products instead of mostly-padding tiles.
        bool narrow = GemmNarrow.Applies(transA, n);
        // Split the larger of m and n, in whole slivers: each thread packs the B columns it needs.
        bool splitRows = narrow || m >= n;
        int units = splitRows ? (m + shape.MR - 1) / shape.MR : (n + shape.NR - 1) / shape.NR;
        threads = Math.Min(threads, units);
        if (threads <= 1)
        {
            if (narrow) GemmNarrow.Multiply(transB, 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            else Sequential(shape, transA, transB, 0, m, 0, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        // Several chunks per thread balance the load when a core is busy with something else, but only where
        // chunks cost nothing extra: a row chunk that packs B would repack all of it.
        int rowsPerChunk = (units + threads * ChunksPerThread - 1) / (threads * ChunksPerThread) * shape.MR;
        bool fineChunks = !splitRows || narrow || UsesDirectB(transB, rowsPerChunk, ldb);
        int chunks = Math.Min(units, fineChunks ? threads * ChunksPerThread : threads);

        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        GemmChunks.Run(chunks, threads, t =>
        {
            int first = (int)((long)units * t / chunks), last = (int)((long)units * (t + 1) / chunks);
            if (splitRows)
            {
                int i0 = first * shape.MR, i1 = Math.Min(m, last * shape.MR);
                if (narrow) GemmNarrow.Multiply(transB, i0, i1, n, k, alpha, (float*)pa, lda, (float*)pb, ldb, beta, (float*)pc, ldc);
                else Sequential(shape, transA, transB, i0, i1, 0, n, k, alpha, (float*)pa, lda, (float*)pb, ldb, beta, (float*)pc, ldc);
            }
            else
            {
                int j0 = first * shape.NR, j1 = Math.Min(n, last * shape.NR);
                Sequential(shape, transA, transB, 0, m, j0, j1, k, alpha, (float*)pa, lda, (float*)pb, ldb, beta, (float*)pc, ldc);
            }
        });
    }

    /// <summary>
    /// Whether a range of <paramref name="rows"/> rows of C reads a non-transposed B in place instead of packing it:
    /// few rows reuse each B element only a few times. Not past 32 rows when B's row stride is a multiple of 4 KB,
    /// where its rows share L1 sets.
    /// </summary>
    private static bool UsesDirectB(bool transB, int rows, nint ldb) =>
        !transB && rows <= (ldb % 1024 == 0 ? 32 : DirectBMaxRows);

    /// <summary>Rows [i0, i1) x columns [j0, j1) of C on the calling thread.</summary>
    private static void Sequential(KernelSet shape, bool transA, bool transB, int i0, int i1, int j0, int j1, int k,
        float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        int nrFull = shape.NR;
        int kc = BalancedBlock(k, KcMax, 1);
        int nc = BalancedBlock(j1 - j0, NcMax, nrFull);
        float* packedB = GemmWorkspace.Current.B(kc * RoundUp(nc, nrFull));
        // Whole B slivers read in place (rows ldb apart) when few rows use them; only a ragged last sliver is packed.
        bool directB = UsesDirectB(transB, i1 - i0, ldb);

        for (int jc = j0; jc < j1; jc += nc)
        {
            int ncCur = Math.Min(nc, j1 - jc);
            int ncWhole = ncCur / nrFull * nrFull;
            for (int p0 = 0; p0 < k; p0 += kc)
            {
                int kcCur = Math.Min(kc, k - p0);
                float betaBlock = p0 == 0 ? beta : 1f;
                if (!directB)
                    GemmPacking.PackB(transB, b, ldb, p0, kcCur, jc, ncCur, nrFull, packedB);
                else if (ncWhole < ncCur)
                    GemmPacking.PackB(transB, b, ldb, p0, kcCur, jc + ncWhole, ncCur - ncWhole, nrFull, packedB);

                for (int i = i0; i < i1;)
                {
                    // A is read in place: measured faster than packing at every shape tried (32x300x64 up to
                    // 2048x512x1024, lda a multiple of 4 KB included); an 8 x kc sliver stays in L1.
                    int h = shape.Fit(i1 - i);
                    float* aSliver = transA ? a + p0 * lda + i : a + i * lda + p0;
                    float* cRow = c + i * ldc + jc;
                    for (int jr = 0; jr < ncCur; jr += nrFull)
                    {
                        int nr = Math.Min(nrFull, ncCur - jr);
                        float* bSliver = packedB + (nint)jr * kcCur;
                        nint bStep = nrFull;
                        if (directB)
                        {
                            bSliver = nr == nrFull ? b + p0 * ldb + jc + jr : packedB;
                            bStep = nr == nrFull ? ldb : nrFull;
                        }
                        shape.Run(h, !transA, kcCur, aSliver, lda, bSliver, bStep, cRow + jr, ldc, alpha, betaBlock, nr);
                    }
                    i += shape.Height(h);
                }
            }
        }
    }

    /// <summary>Splits <paramref name="length"/> into equal blocks of at most <paramref name="max"/>, rounded up to a multiple of <paramref name="unit"/>.</summary>
    private static int BalancedBlock(int length, int max, int unit)
    {
        int blocks = (length + max - 1) / max;
        int size = (length + blocks - 1) / blocks;
        return RoundUp(size, unit);
    }

    private static int RoundUp(int value, int unit) => (value + unit - 1) / unit * unit;
}
