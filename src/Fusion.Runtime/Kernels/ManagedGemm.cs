using System.Runtime.Intrinsics;

namespace Fusion.Runtime.Kernels;

/// <summary>
/// Blocked, packed, SIMD single-precision GEMM in managed code (row-major, C = alpha op(A) op(B) + beta C).
/// Loop order: column panels of C (nc wide) -> k blocks (kc deep, B panel packed once, kept in L2)
/// -> MR-row slivers of A (packed, kept in L1) -> NR-wide slivers of the B panel -> micro-kernel.
/// Large products are split over threads by rows or columns of C (never over k), each thread with its own
/// packing buffers, so every element of C is computed by the same operations whatever the thread count:
/// results are bit-identical run to run and across thread counts.
/// </summary>
internal static unsafe class ManagedGemm
{
    /// <summary>Deepest k block; 256 keeps an 8 x kc A sliver (8 KB) in L1.</summary>
    internal const int KcMax = 256;

    /// <summary>Widest column panel; a kc x nc packed B panel is 512 KB, half of the L2 of one core.</summary>
    internal const int NcMax = 512;

    /// <summary>Products below this many flops (2 m n k) run on the calling thread only.</summary>
    internal const long ParallelThresholdFlops = 4_000_000;

    /// <summary>Whether the 512-bit micro-kernel runs by default on this machine.</summary>
    public static bool Vector512Available => Vector512.IsHardwareAccelerated;

    private readonly record struct KernelShape(int MR, int NR, nint Kernel)
    {
        public void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, int mr, int nr) =>
            ((delegate*<int, float*, float*, float*, nint, float, float, int, int, void>)Kernel)(kc, a, b, c, ldc, alpha, beta, mr, nr);
    }

    private static readonly KernelShape Shape512 = new(8, 32, (nint)(delegate*<int, float*, float*, float*, nint, float, float, int, int, void>)&GemmMicroKernels.Kernel8x32);
    private static readonly KernelShape Shape256 = new(6, 16, (nint)(delegate*<int, float*, float*, float*, nint, float, float, int, int, void>)&GemmMicroKernels.Kernel6x16);

    /// <summary>
    /// Computes the product. Arguments must already be validated and m, n, k all positive.
    /// <paramref name="maxThreads"/> caps the threads used; <paramref name="useVector512"/> picks the micro-kernel.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc, int maxThreads, bool useVector512)
    {
        KernelShape shape = useVector512 ? Shape512 : Shape256;
        double flops = 2.0 * m * n * k;
        int threads = flops < ParallelThresholdFlops ? 1 : Math.Max(1, maxThreads);

        // Split the larger of m and n (the smaller extra packing cost), in whole slivers.
        bool splitRows = m >= n;
        int units = splitRows ? (m + shape.MR - 1) / shape.MR : (n + shape.NR - 1) / shape.NR;
        threads = Math.Min(threads, units);
        if (threads <= 1)
        {
            Sequential(shape, transA, transB, 0, m, 0, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int first = (int)((long)units * t / threads), last = (int)((long)units * (t + 1) / threads);
            if (splitRows)
            {
                int i0 = first * shape.MR, i1 = Math.Min(m, last * shape.MR);
                Sequential(shape, transA, transB, i0, i1, 0, n, k, alpha, (float*)pa, lda, (float*)pb, ldb, beta, (float*)pc, ldc);
            }
            else
            {
                int j0 = first * shape.NR, j1 = Math.Min(n, last * shape.NR);
                Sequential(shape, transA, transB, 0, m, j0, j1, k, alpha, (float*)pa, lda, (float*)pb, ldb, beta, (float*)pc, ldc);
            }
        });
    }

    /// <summary>Rows [i0, i1) x columns [j0, j1) of C on the calling thread.</summary>
    private static void Sequential(KernelShape shape, bool transA, bool transB, int i0, int i1, int j0, int j1, int k,
        float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        int mrFull = shape.MR, nrFull = shape.NR;
        int kc = BalancedBlock(k, KcMax, 1);
        int nc = BalancedBlock(j1 - j0, NcMax, nrFull);

        GemmWorkspace workspace = GemmWorkspace.Current;
        float* packedB = workspace.B(kc * RoundUp(nc, nrFull));
        float* packedA = workspace.A(kc * mrFull);

        for (int jc = j0; jc < j1; jc += nc)
        {
            int ncCur = Math.Min(nc, j1 - jc);
            for (int p0 = 0; p0 < k; p0 += kc)
            {
                int kcCur = Math.Min(kc, k - p0);
                float betaBlock = p0 == 0 ? beta : 1f;
                GemmPacking.PackB(transB, b, ldb, p0, kcCur, jc, ncCur, nrFull, packedB);
                for (int i = i0; i < i1; i += mrFull)
                {
                    int mr = Math.Min(mrFull, i1 - i);
                    GemmPacking.PackA(transA, a, lda, i, mr, p0, kcCur, mrFull, packedA);
                    float* cRow = c + i * ldc + jc;
                    for (int jr = 0; jr < ncCur; jr += nrFull)
                    {
                        int nr = Math.Min(nrFull, ncCur - jr);
                        shape.Run(kcCur, packedA, packedB + (nint)jr * kcCur, cRow + jr, ldc, alpha, betaBlock, mr, nr);
                    }
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
