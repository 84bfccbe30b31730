using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fusion.Runtime.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded layouts the micro-kernels read.
/// A sliver: rows [i0, i0 + mr) x columns [p0, p0 + kc) of op(A), stored k-major: dst[p * MR + r].
/// B panel: rows [p0, p0 + kc) x columns [j0, j0 + nc) of op(B), as NR-wide slivers, each kc x NR:
/// dst[s * kc * NR + p * NR + j].
/// </summary>
internal static unsafe class GemmPacking
{
    public static void PackA(bool transA, float* a, nint lda, int i0, int mr, int p0, int kc, int mrFull, float* dst)
    {
        if (transA)
        {
            // op(A)[i, p] = a[p * lda + i]: each k step is mr contiguous floats.
            float* src = a + p0 * lda + i0;
            for (int p = 0; p < kc; p++)
            {
                float* s = src + p * lda;
                float* d = dst + p * mrFull;
                int r = 0;
                if (mr == mrFull && mrFull == 8)
                {
                    Vector256.Store(Vector256.Load(s), d);
                    continue;
                }
                for (; r < mr; r++) d[r] = s[r];
                for (; r < mrFull; r++) d[r] = 0f;
            }
        }
        else
        {
            // op(A)[i, p] = a[i * lda + p]: read each row contiguously, write with stride MR.
            for (int r = 0; r < mr; r++)
            {
                float* s = a + (i0 + r) * lda + p0;
                float* d = dst + r;
                for (int p = 0; p < kc; p++) d[p * mrFull] = s[p];
            }
            for (int r = mr; r < mrFull; r++)
            {
                float* d = dst + r;
                for (int p = 0; p < kc; p++) d[p * mrFull] = 0f;
            }
        }
    }

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
