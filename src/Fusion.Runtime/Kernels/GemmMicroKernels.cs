using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fusion.Runtime.Kernels;

/// <summary>
/// Register-blocked GEMM micro-kernels. Each computes one MR x NR tile of C from a packed A sliver
/// (MR floats per k step, rows past the matrix edge zero) and a packed B sliver (NR floats per k step,
/// columns past the edge zero), then applies C = alpha * tile + beta * C to the mr x nr valid part.
/// Every element of C is accumulated in k order by one FMA chain, so results do not depend on tiling or threads.
/// </summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>8x32 tile with Vector512 FMA: A sliver is 8 floats per k step, B sliver 32 floats per k step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x32(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, int mr, int nr)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero, c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero, c31 = Vector512<float>.Zero;
        Vector512<float> c40 = Vector512<float>.Zero, c41 = Vector512<float>.Zero;
        Vector512<float> c50 = Vector512<float>.Zero, c51 = Vector512<float>.Zero;
        Vector512<float> c60 = Vector512<float>.Zero, c61 = Vector512<float>.Zero;
        Vector512<float> c70 = Vector512<float>.Zero, c71 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ar;
            ar = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(ar, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(ar, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(ar, b1, c31);
            ar = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(ar, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(ar, b1, c41);
            ar = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(ar, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(ar, b1, c51);
            ar = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(ar, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(ar, b1, c61);
            ar = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(ar, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(ar, b1, c71);
            a += 8;
            b += 32;
        }
        if (mr == 8 && nr == 32)
        {
            Vector512<float> va = Vector512.Create(alpha);
            Update512(c + 0 * ldc, c00, c01, va, beta);
            Update512(c + 1 * ldc, c10, c11, va, beta);
            Update512(c + 2 * ldc, c20, c21, va, beta);
            Update512(c + 3 * ldc, c30, c31, va, beta);
            Update512(c + 4 * ldc, c40, c41, va, beta);
            Update512(c + 5 * ldc, c50, c51, va, beta);
            Update512(c + 6 * ldc, c60, c61, va, beta);
            Update512(c + 7 * ldc, c70, c71, va, beta);
        }
        else
        {
            float* tile = stackalloc float[8 * 32];
            c00.Store(tile + 0); c01.Store(tile + 16);
            c10.Store(tile + 32); c11.Store(tile + 48);
            c20.Store(tile + 64); c21.Store(tile + 80);
            c30.Store(tile + 96); c31.Store(tile + 112);
            c40.Store(tile + 128); c41.Store(tile + 144);
            c50.Store(tile + 160); c51.Store(tile + 176);
            c60.Store(tile + 192); c61.Store(tile + 208);
            c70.Store(tile + 224); c71.Store(tile + 240);
            UpdatePartial(tile, 32, c, ldc, alpha, beta, mr, nr);
        }
    }

    /// <summary>6x16 tile with Vector256 FMA (used when Vector512 is not hardware accelerated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, int mr, int nr)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;
        Vector256<float> c40 = Vector256<float>.Zero, c41 = Vector256<float>.Zero;
        Vector256<float> c50 = Vector256<float>.Zero, c51 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ar;
            ar = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(ar, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(ar, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ar, b1, c31);
            ar = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(ar, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ar, b1, c41);
            ar = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(ar, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ar, b1, c51);
            a += 6;
            b += 16;
        }
        if (mr == 6 && nr == 16)
        {
            Vector256<float> va = Vector256.Create(alpha);
            Update256(c + 0 * ldc, c00, c01, va, beta);
            Update256(c + 1 * ldc, c10, c11, va, beta);
            Update256(c + 2 * ldc, c20, c21, va, beta);
            Update256(c + 3 * ldc, c30, c31, va, beta);
            Update256(c + 4 * ldc, c40, c41, va, beta);
            Update256(c + 5 * ldc, c50, c51, va, beta);
        }
        else
        {
            float* tile = stackalloc float[6 * 16];
            c00.Store(tile + 0); c01.Store(tile + 8);
            c10.Store(tile + 16); c11.Store(tile + 24);
            c20.Store(tile + 32); c21.Store(tile + 40);
            c30.Store(tile + 48); c31.Store(tile + 56);
            c40.Store(tile + 64); c41.Store(tile + 72);
            c50.Store(tile + 80); c51.Store(tile + 88);
            UpdatePartial(tile, 16, c, ldc, alpha, beta, mr, nr);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update512(float* c, Vector512<float> acc0, Vector512<float> acc1, Vector512<float> alpha, float beta)
    {
        if (beta == 0f)
        {
            (acc0 * alpha).Store(c);
            (acc1 * alpha).Store(c + 16);
        }
        else if (beta == 1f)
        {
            Vector512.FusedMultiplyAdd(acc0, alpha, Vector512.Load(c)).Store(c);
            Vector512.FusedMultiplyAdd(acc1, alpha, Vector512.Load(c + 16)).Store(c + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.FusedMultiplyAdd(acc0, alpha, Vector512.Load(c) * vb).Store(c);
            Vector512.FusedMultiplyAdd(acc1, alpha, Vector512.Load(c + 16) * vb).Store(c + 16);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update256(float* c, Vector256<float> acc0, Vector256<float> acc1, Vector256<float> alpha, float beta)
    {
        if (beta == 0f)
        {
            (acc0 * alpha).Store(c);
            (acc1 * alpha).Store(c + 8);
        }
        else if (beta == 1f)
        {
            Vector256.FusedMultiplyAdd(acc0, alpha, Vector256.Load(c)).Store(c);
            Vector256.FusedMultiplyAdd(acc1, alpha, Vector256.Load(c + 8)).Store(c + 8);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Vector256.FusedMultiplyAdd(acc0, alpha, Vector256.Load(c) * vb).Store(c);
            Vector256.FusedMultiplyAdd(acc1, alpha, Vector256.Load(c + 8) * vb).Store(c + 8);
        }
    }

    /// <summary>Edge tiles: same arithmetic as the vector update, element by element, touching only mr x nr of C.</summary>
    private static void UpdatePartial(float* tile, int tileStride, float* c, nint ldc, float alpha, float beta, int mr, int nr)
    {
        for (int i = 0; i < mr; i++)
        {
            float* t = tile + i * tileStride;
            float* cr = c + i * ldc;
            for (int j = 0; j < nr; j++)
            {
                cr[j] = beta == 0f ? t[j] * alpha
                    : beta == 1f ? MathF.FusedMultiplyAdd(t[j], alpha, cr[j])
                    : MathF.FusedMultiplyAdd(t[j], alpha, cr[j] * beta);
            }
        }
    }
}
