using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fusion.Runtime.Kernels;

/// <summary>
/// Copies a block of op(B) into the contiguous, zero-padded layout the micro-kernels read (A is read in place).
/// B panel: rows [p0, p0 + kc) x columns [j0, j0 + nc) of op(B), as NR-wide slivers, each kc x NR:
/// dst[s * kc * NR + p * NR + j].
/// </summary>
internal static unsafe class GemmPacking
{
    public static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        int slivers = (nc + nr - 1) / nr;
        for (int s = 0; s < slivers; s++)
        {
            int jStart = j0 + s * nr;
            int width = Math.Min(nr, nc - s * nr);
            float* d = dst + (nint)s * kc * nr;
            if (transB)
            {
                // op(B)[p, j] = b[j * ldb + p]: read each stored row contiguously, write with stride NR.
                for (int j = 0; j < width; j++)
                {
                    float* src = b + (jStart + j) * ldb + p0;
                    float* dj = d + j;
                    for (int p = 0; p < kc; p++) dj[p * nr] = src[p];
                }
                for (int j = width; j < nr; j++)
                {
                    float* dj = d + j;
                    for (int p = 0; p < kc; p++) dj[p * nr] = 0f;
                }
            }
            else
            {
                // op(B)[p, j] = b[p * ldb + j]: each k step is a contiguous run of the row.
                float* src = b + p0 * ldb + jStart;
                if (width == nr)
                {
                    for (int p = 0; p < kc; p++) CopyRun(src + p * ldb, d + p * nr, nr);
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* sp = src + p * ldb;
                        float* dp = d + p * nr;
                        int j = 0;
                        for (; j < width; j++) dp[j] = sp[j];
                        for (; j < nr; j++) dp[j] = 0f;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* src, float* dst, int count)
    {
        if (count == 32 && Vector512.IsHardwareAccelerated)
        {
            Vector512.Store(Vector512.Load(src), dst);
            Vector512.Store(Vector512.Load(src + 16), dst + 16);
        }
        else if (count == 16)
        {
            Vector256.Store(Vector256.Load(src), dst);
            Vector256.Store(Vector256.Load(src + 8), dst + 8);
        }
        else
        {
            for (int j = 0; j < count; j++) dst[j] = src[j];
        }
    }
}
