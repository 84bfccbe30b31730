using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
                // op(B)[p, j] = b[j * ldb + p]: 8 x 8 blocks transposed in registers, the rest element by element.
                int jVector = 0, pVector = 0;
                if (Avx.IsSupported)
                {
                    jVector = width / 8 * 8;
                    pVector = kc / 8 * 8;
                    for (int jb = 0; jb < jVector; jb += 8)
                        for (int p = 0; p < pVector; p += 8)
                            Transpose8x8(b + (jStart + jb) * ldb + p0 + p, ldb, d + p * nr + jb, nr);
                }
                for (int j = 0; j < width; j++)
                {
                    float* src = b + (jStart + j) * ldb + p0;
                    float* dj = d + j;
                    for (int p = j < jVector ? pVector : 0; p < kc; p++) dj[p * nr] = src[p];
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

    /// <summary>dst[q * dstStride + r] = src[r * srcStride + q] for an 8 x 8 block (the usual AVX unpack/shuffle/permute transpose).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * srcStride), r3 = Avx.LoadVector256(src + 3 * srcStride);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * srcStride), r5 = Avx.LoadVector256(src + 5 * srcStride);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * srcStride), r7 = Avx.LoadVector256(src + 7 * srcStride);

        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
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
