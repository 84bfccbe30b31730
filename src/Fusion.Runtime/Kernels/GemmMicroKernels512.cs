using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fusion.Runtime.Kernels;

/// <summary>Micro-kernels for AVX-512: tiles 32 columns wide (two Vector512 accumulators per row), 8 rows for the bulk and 4, 2, 1 rows for the last rows of C. See <see cref="GemmMicroKernels"/> for the contract.</summary>
[SkipLocalsInit]
internal static unsafe class GemmMicroKernels512
{
    /// <summary>Tile heights, largest first; the driver covers any number of rows greedily with them.</summary>
    public static readonly int[] Heights = [8, 4, 2, 1];

    public const int Width = 32;

    /// <summary>Kernels reading A k-major (transposed storage, or a packed sliver), indexed like <see cref="Heights"/>.</summary>
    public static readonly nint[] StepKernels =
    [
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel8x32,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel4x32,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel2x32,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel1x32,
    ];

    /// <summary>Kernels reading rows of A in place, indexed like <see cref="Heights"/>.</summary>
    public static readonly nint[] RowKernels =
    [
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel8x32RowA,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel4x32RowA,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel2x32RowA,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel1x32RowA,
    ];

    /// <summary>8 x 32 tile; A holds 8 consecutive floats per k step, steps aStep apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x32(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
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
            a += aStep;
            b += bStep;
        }
        if (nr == 32)
        {
            Vector512<float> va = Vector512.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
            Update(c + 2 * ldc, c20, c21, va, beta);
            Update(c + 3 * ldc, c30, c31, va, beta);
            Update(c + 4 * ldc, c40, c41, va, beta);
            Update(c + 5 * ldc, c50, c51, va, beta);
            Update(c + 6 * ldc, c60, c61, va, beta);
            Update(c + 7 * ldc, c70, c71, va, beta);
        }
        else if (Avx512F.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector512<float> va = Vector512.Create(alpha);
            Vector512<float> m0 = Mask(nr), m1 = Mask(nr - 16);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
            UpdateMasked(c + 2 * ldc, c20, c21, va, beta, m0, m1);
            UpdateMasked(c + 3 * ldc, c30, c31, va, beta, m0, m1);
            UpdateMasked(c + 4 * ldc, c40, c41, va, beta, m0, m1);
            UpdateMasked(c + 5 * ldc, c50, c51, va, beta, m0, m1);
            UpdateMasked(c + 6 * ldc, c60, c61, va, beta, m0, m1);
            UpdateMasked(c + 7 * ldc, c70, c71, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[256];
            c00.Store(tile + 0); c01.Store(tile + 16);
            c10.Store(tile + 32); c11.Store(tile + 48);
            c20.Store(tile + 64); c21.Store(tile + 80);
            c30.Store(tile + 96); c31.Store(tile + 112);
            c40.Store(tile + 128); c41.Store(tile + 144);
            c50.Store(tile + 160); c51.Store(tile + 176);
            c60.Store(tile + 192); c61.Store(tile + 208);
            c70.Store(tile + 224); c71.Store(tile + 240);
            UpdatePartial(tile, 32, c, ldc, alpha, beta, 8, nr);
        }
    }

    /// <summary>8 x 32 tile; A read in place, row r at a + r * lda, contiguous in k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x32RowA(int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero, c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero, c31 = Vector512<float>.Zero;
        Vector512<float> c40 = Vector512<float>.Zero, c41 = Vector512<float>.Zero;
        Vector512<float> c50 = Vector512<float>.Zero, c51 = Vector512<float>.Zero;
        Vector512<float> c60 = Vector512<float>.Zero, c61 = Vector512<float>.Zero;
        Vector512<float> c70 = Vector512<float>.Zero, c71 = Vector512<float>.Zero;
        float* a1 = a + 1 * lda;
        float* a2 = a + 2 * lda;
        float* a3 = a + 3 * lda;
        float* a4 = a + 4 * lda;
        float* a5 = a + 5 * lda;
        float* a6 = a + 6 * lda;
        float* a7 = a + 7 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ar;
            ar = Vector512.Create(a[p]);
            c00 = Vector512.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector512.Create(a1[p]);
            c10 = Vector512.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector512.Create(a2[p]);
            c20 = Vector512.FusedMultiplyAdd(ar, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector512.Create(a3[p]);
            c30 = Vector512.FusedMultiplyAdd(ar, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(ar, b1, c31);
            ar = Vector512.Create(a4[p]);
            c40 = Vector512.FusedMultiplyAdd(ar, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(ar, b1, c41);
            ar = Vector512.Create(a5[p]);
            c50 = Vector512.FusedMultiplyAdd(ar, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(ar, b1, c51);
            ar = Vector512.Create(a6[p]);
            c60 = Vector512.FusedMultiplyAdd(ar, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(ar, b1, c61);
            ar = Vector512.Create(a7[p]);
            c70 = Vector512.FusedMultiplyAdd(ar, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(ar, b1, c71);
            b += bStep;
        }
        if (nr == 32)
        {
            Vector512<float> va = Vector512.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
            Update(c + 2 * ldc, c20, c21, va, beta);
            Update(c + 3 * ldc, c30, c31, va, beta);
            Update(c + 4 * ldc, c40, c41, va, beta);
            Update(c + 5 * ldc, c50, c51, va, beta);
            Update(c + 6 * ldc, c60, c61, va, beta);
            Update(c + 7 * ldc, c70, c71, va, beta);
        }
        else if (Avx512F.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector512<float> va = Vector512.Create(alpha);
            Vector512<float> m0 = Mask(nr), m1 = Mask(nr - 16);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
            UpdateMasked(c + 2 * ldc, c20, c21, va, beta, m0, m1);
            UpdateMasked(c + 3 * ldc, c30, c31, va, beta, m0, m1);
            UpdateMasked(c + 4 * ldc, c40, c41, va, beta, m0, m1);
            UpdateMasked(c + 5 * ldc, c50, c51, va, beta, m0, m1);
            UpdateMasked(c + 6 * ldc, c60, c61, va, beta, m0, m1);
            UpdateMasked(c + 7 * ldc, c70, c71, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[256];
            c00.Store(tile + 0); c01.Store(tile + 16);
            c10.Store(tile + 32); c11.Store(tile + 48);
            c20.Store(tile + 64); c21.Store(tile + 80);
            c30.Store(tile + 96); c31.Store(tile + 112);
            c40.Store(tile + 128); c41.Store(tile + 144);
            c50.Store(tile + 160); c51.Store(tile + 176);
            c60.Store(tile + 192); c61.Store(tile + 208);
            c70.Store(tile + 224); c71.Store(tile + 240);
            UpdatePartial(tile, 32, c, ldc, alpha, beta, 8, nr);
        }
    }

    /// <summary>4 x 32 tile; A holds 4 consecutive floats per k step, steps aStep apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel4x32(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero, c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero, c31 = Vector512<float>.Zero;
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
            a += aStep;
            b += bStep;
        }
        if (nr == 32)
        {
            Vector512<float> va = Vector512.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
            Update(c + 2 * ldc, c20, c21, va, beta);
            Update(c + 3 * ldc, c30, c31, va, beta);
        }
        else if (Avx512F.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector512<float> va = Vector512.Create(alpha);
            Vector512<float> m0 = Mask(nr), m1 = Mask(nr - 16);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
            UpdateMasked(c + 2 * ldc, c20, c21, va, beta, m0, m1);
            UpdateMasked(c + 3 * ldc, c30, c31, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[128];
            c00.Store(tile + 0); c01.Store(tile + 16);
            c10.Store(tile + 32); c11.Store(tile + 48);
            c20.Store(tile + 64); c21.Store(tile + 80);
            c30.Store(tile + 96); c31.Store(tile + 112);
            UpdatePartial(tile, 32, c, ldc, alpha, beta, 4, nr);
        }
    }

    /// <summary>4 x 32 tile; A read in place, row r at a + r * lda, contiguous in k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel4x32RowA(int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero, c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero, c31 = Vector512<float>.Zero;
        float* a1 = a + 1 * lda;
        float* a2 = a + 2 * lda;
        float* a3 = a + 3 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ar;
            ar = Vector512.Create(a[p]);
            c00 = Vector512.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector512.Create(a1[p]);
            c10 = Vector512.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector512.Create(a2[p]);
            c20 = Vector512.FusedMultiplyAdd(ar, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector512.Create(a3[p]);
            c30 = Vector512.FusedMultiplyAdd(ar, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(ar, b1, c31);
            b += bStep;
        }
        if (nr == 32)
        {
            Vector512<float> va = Vector512.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
            Update(c + 2 * ldc, c20, c21, va, beta);
            Update(c + 3 * ldc, c30, c31, va, beta);
        }
        else if (Avx512F.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector512<float> va = Vector512.Create(alpha);
            Vector512<float> m0 = Mask(nr), m1 = Mask(nr - 16);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
            UpdateMasked(c + 2 * ldc, c20, c21, va, beta, m0, m1);
            UpdateMasked(c + 3 * ldc, c30, c31, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[128];
            c00.Store(tile + 0); c01.Store(tile + 16);
            c10.Store(tile + 32); c11.Store(tile + 48);
            c20.Store(tile + 64); c21.Store(tile + 80);
            c30.Store(tile + 96); c31.Store(tile + 112);
            UpdatePartial(tile, 32, c, ldc, alpha, beta, 4, nr);
        }
    }

    /// <summary>2 x 32 tile; A holds 2 consecutive floats per k step, steps aStep apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel2x32(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
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
            a += aStep;
            b += bStep;
        }
        if (nr == 32)
        {
            Vector512<float> va = Vector512.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
        }
        else if (Avx512F.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector512<float> va = Vector512.Create(alpha);
            Vector512<float> m0 = Mask(nr), m1 = Mask(nr - 16);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[64];
            c00.Store(tile + 0); c01.Store(tile + 16);
            c10.Store(tile + 32); c11.Store(tile + 48);
            UpdatePartial(tile, 32, c, ldc, alpha, beta, 2, nr);
        }
    }

    /// <summary>2 x 32 tile; A read in place, row r at a + r * lda, contiguous in k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel2x32RowA(int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        float* a1 = a + 1 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ar;
            ar = Vector512.Create(a[p]);
            c00 = Vector512.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector512.Create(a1[p]);
            c10 = Vector512.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(ar, b1, c11);
            b += bStep;
        }
        if (nr == 32)
        {
            Vector512<float> va = Vector512.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
        }
        else if (Avx512F.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector512<float> va = Vector512.Create(alpha);
            Vector512<float> m0 = Mask(nr), m1 = Mask(nr - 16);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[64];
            c00.Store(tile + 0); c01.Store(tile + 16);
            c10.Store(tile + 32); c11.Store(tile + 48);
            UpdatePartial(tile, 32, c, ldc, alpha, beta, 2, nr);
        }
    }

    /// <summary>1 x 32 tile; A holds 1 consecutive floats per k step, steps aStep apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel1x32(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ar;
            ar = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ar, b1, c01);
            a += aStep;
            b += bStep;
        }
        if (nr == 32)
        {
            Vector512<float> va = Vector512.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
        }
        else if (Avx512F.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector512<float> va = Vector512.Create(alpha);
            Vector512<float> m0 = Mask(nr), m1 = Mask(nr - 16);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[32];
            c00.Store(tile + 0); c01.Store(tile + 16);
            UpdatePartial(tile, 32, c, ldc, alpha, beta, 1, nr);
        }
    }

    /// <summary>1 x 32 tile; A read in place, row r at a + r * lda, contiguous in k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel1x32RowA(int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ar;
            ar = Vector512.Create(a[p]);
            c00 = Vector512.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ar, b1, c01);
            b += bStep;
        }
        if (nr == 32)
        {
            Vector512<float> va = Vector512.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
        }
        else if (Avx512F.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector512<float> va = Vector512.Create(alpha);
            Vector512<float> m0 = Mask(nr), m1 = Mask(nr - 16);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[32];
            c00.Store(tile + 0); c01.Store(tile + 16);
            UpdatePartial(tile, 32, c, ldc, alpha, beta, 1, nr);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> acc0, Vector512<float> acc1, Vector512<float> alpha, float beta)
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

    /// <summary>Lanes below <paramref name="count"/> set (all bits), the rest clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mask(int count) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateMasked(float* c, Vector512<float> acc0, Vector512<float> acc1, Vector512<float> alpha, float beta, Vector512<float> m0, Vector512<float> m1)
    {
        if (beta == 0f)
        {
            Avx512F.MaskStore(c, m0, acc0 * alpha);
            Avx512F.MaskStore(c + 16, m1, acc1 * alpha);
        }
        else if (beta == 1f)
        {
            Avx512F.MaskStore(c, m0, Vector512.FusedMultiplyAdd(acc0, alpha, Avx512F.MaskLoad(c, m0, Vector512<float>.Zero)));
            Avx512F.MaskStore(c + 16, m1, Vector512.FusedMultiplyAdd(acc1, alpha, Avx512F.MaskLoad(c + 16, m1, Vector512<float>.Zero)));
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Avx512F.MaskStore(c, m0, Vector512.FusedMultiplyAdd(acc0, alpha, Avx512F.MaskLoad(c, m0, Vector512<float>.Zero) * vb));
            Avx512F.MaskStore(c + 16, m1, Vector512.FusedMultiplyAdd(acc1, alpha, Avx512F.MaskLoad(c + 16, m1, Vector512<float>.Zero) * vb));
        }
    }

    private static void UpdatePartial(float* tile, int tileStride, float* c, nint ldc, float alpha, float beta, int rows, int nr) =>
        GemmMicroKernels.UpdatePartial(tile, tileStride, c, ldc, alpha, beta, rows, nr);
}
