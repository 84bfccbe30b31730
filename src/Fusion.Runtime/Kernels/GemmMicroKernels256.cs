using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fusion.Runtime.Kernels;

/// <summary>Micro-kernels for machines without fast Vector512: tiles 16 columns wide (two Vector256 accumulators per row), 6 rows for the bulk (12 accumulators fit 16 AVX2 registers) and 4, 2, 1 rows for the last rows of C. See <see cref="GemmMicroKernels"/> for the contract.</summary>
[SkipLocalsInit]
internal static unsafe class GemmMicroKernels256
{
    /// <summary>Tile heights, largest first; the driver covers any number of rows greedily with them.</summary>
    public static readonly int[] Heights = [6, 4, 2, 1];

    public const int Width = 16;

    /// <summary>Kernels reading A k-major (transposed storage, or a packed sliver), indexed like <see cref="Heights"/>.</summary>
    public static readonly nint[] StepKernels =
    [
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel6x16,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel4x16,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel2x16,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel1x16,
    ];

    /// <summary>Kernels reading rows of A in place, indexed like <see cref="Heights"/>.</summary>
    public static readonly nint[] RowKernels =
    [
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel6x16RowA,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel4x16RowA,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel2x16RowA,
        (nint)(delegate*<int, float*, nint, float*, nint, float*, nint, float, float, int, void>)&Kernel1x16RowA,
    ];

    /// <summary>6 x 16 tile; A holds 6 consecutive floats per k step, steps aStep apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
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
            a += aStep;
            b += bStep;
        }
        if (nr == 16)
        {
            Vector256<float> va = Vector256.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
            Update(c + 2 * ldc, c20, c21, va, beta);
            Update(c + 3 * ldc, c30, c31, va, beta);
            Update(c + 4 * ldc, c40, c41, va, beta);
            Update(c + 5 * ldc, c50, c51, va, beta);
        }
        else if (Avx.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector256<float> va = Vector256.Create(alpha);
            Vector256<float> m0 = Mask(nr), m1 = Mask(nr - 8);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
            UpdateMasked(c + 2 * ldc, c20, c21, va, beta, m0, m1);
            UpdateMasked(c + 3 * ldc, c30, c31, va, beta, m0, m1);
            UpdateMasked(c + 4 * ldc, c40, c41, va, beta, m0, m1);
            UpdateMasked(c + 5 * ldc, c50, c51, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[96];
            c00.Store(tile + 0); c01.Store(tile + 8);
            c10.Store(tile + 16); c11.Store(tile + 24);
            c20.Store(tile + 32); c21.Store(tile + 40);
            c30.Store(tile + 48); c31.Store(tile + 56);
            c40.Store(tile + 64); c41.Store(tile + 72);
            c50.Store(tile + 80); c51.Store(tile + 88);
            UpdatePartial(tile, 16, c, ldc, alpha, beta, 6, nr);
        }
    }

    /// <summary>6 x 16 tile; A read in place, row r at a + r * lda, contiguous in k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16RowA(int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;
        Vector256<float> c40 = Vector256<float>.Zero, c41 = Vector256<float>.Zero;
        Vector256<float> c50 = Vector256<float>.Zero, c51 = Vector256<float>.Zero;
        float* a1 = a + 1 * lda;
        float* a2 = a + 2 * lda;
        float* a3 = a + 3 * lda;
        float* a4 = a + 4 * lda;
        float* a5 = a + 5 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ar;
            ar = Vector256.Create(a[p]);
            c00 = Vector256.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector256.Create(a1[p]);
            c10 = Vector256.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector256.Create(a2[p]);
            c20 = Vector256.FusedMultiplyAdd(ar, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector256.Create(a3[p]);
            c30 = Vector256.FusedMultiplyAdd(ar, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ar, b1, c31);
            ar = Vector256.Create(a4[p]);
            c40 = Vector256.FusedMultiplyAdd(ar, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ar, b1, c41);
            ar = Vector256.Create(a5[p]);
            c50 = Vector256.FusedMultiplyAdd(ar, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ar, b1, c51);
            b += bStep;
        }
        if (nr == 16)
        {
            Vector256<float> va = Vector256.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
            Update(c + 2 * ldc, c20, c21, va, beta);
            Update(c + 3 * ldc, c30, c31, va, beta);
            Update(c + 4 * ldc, c40, c41, va, beta);
            Update(c + 5 * ldc, c50, c51, va, beta);
        }
        else if (Avx.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector256<float> va = Vector256.Create(alpha);
            Vector256<float> m0 = Mask(nr), m1 = Mask(nr - 8);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
            UpdateMasked(c + 2 * ldc, c20, c21, va, beta, m0, m1);
            UpdateMasked(c + 3 * ldc, c30, c31, va, beta, m0, m1);
            UpdateMasked(c + 4 * ldc, c40, c41, va, beta, m0, m1);
            UpdateMasked(c + 5 * ldc, c50, c51, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[96];
            c00.Store(tile + 0); c01.Store(tile + 8);
            c10.Store(tile + 16); c11.Store(tile + 24);
            c20.Store(tile + 32); c21.Store(tile + 40);
            c30.Store(tile + 48); c31.Store(tile + 56);
            c40.Store(tile + 64); c41.Store(tile + 72);
            c50.Store(tile + 80); c51.Store(tile + 88);
            UpdatePartial(tile, 16, c, ldc, alpha, beta, 6, nr);
        }
    }

    /// <summary>4 x 16 tile; A holds 4 consecutive floats per k step, steps aStep apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel4x16(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;
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
            a += aStep;
            b += bStep;
        }
        if (nr == 16)
        {
            Vector256<float> va = Vector256.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
            Update(c + 2 * ldc, c20, c21, va, beta);
            Update(c + 3 * ldc, c30, c31, va, beta);
        }
        else if (Avx.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector256<float> va = Vector256.Create(alpha);
            Vector256<float> m0 = Mask(nr), m1 = Mask(nr - 8);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
            UpdateMasked(c + 2 * ldc, c20, c21, va, beta, m0, m1);
            UpdateMasked(c + 3 * ldc, c30, c31, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[64];
            c00.Store(tile + 0); c01.Store(tile + 8);
            c10.Store(tile + 16); c11.Store(tile + 24);
            c20.Store(tile + 32); c21.Store(tile + 40);
            c30.Store(tile + 48); c31.Store(tile + 56);
            UpdatePartial(tile, 16, c, ldc, alpha, beta, 4, nr);
        }
    }

    /// <summary>4 x 16 tile; A read in place, row r at a + r * lda, contiguous in k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel4x16RowA(int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;
        float* a1 = a + 1 * lda;
        float* a2 = a + 2 * lda;
        float* a3 = a + 3 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ar;
            ar = Vector256.Create(a[p]);
            c00 = Vector256.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector256.Create(a1[p]);
            c10 = Vector256.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector256.Create(a2[p]);
            c20 = Vector256.FusedMultiplyAdd(ar, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector256.Create(a3[p]);
            c30 = Vector256.FusedMultiplyAdd(ar, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ar, b1, c31);
            b += bStep;
        }
        if (nr == 16)
        {
            Vector256<float> va = Vector256.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
            Update(c + 2 * ldc, c20, c21, va, beta);
            Update(c + 3 * ldc, c30, c31, va, beta);
        }
        else if (Avx.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector256<float> va = Vector256.Create(alpha);
            Vector256<float> m0 = Mask(nr), m1 = Mask(nr - 8);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
            UpdateMasked(c + 2 * ldc, c20, c21, va, beta, m0, m1);
            UpdateMasked(c + 3 * ldc, c30, c31, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[64];
            c00.Store(tile + 0); c01.Store(tile + 8);
            c10.Store(tile + 16); c11.Store(tile + 24);
            c20.Store(tile + 32); c21.Store(tile + 40);
            c30.Store(tile + 48); c31.Store(tile + 56);
            UpdatePartial(tile, 16, c, ldc, alpha, beta, 4, nr);
        }
    }

    /// <summary>2 x 16 tile; A holds 2 consecutive floats per k step, steps aStep apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel2x16(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
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
            a += aStep;
            b += bStep;
        }
        if (nr == 16)
        {
            Vector256<float> va = Vector256.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
        }
        else if (Avx.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector256<float> va = Vector256.Create(alpha);
            Vector256<float> m0 = Mask(nr), m1 = Mask(nr - 8);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[32];
            c00.Store(tile + 0); c01.Store(tile + 8);
            c10.Store(tile + 16); c11.Store(tile + 24);
            UpdatePartial(tile, 16, c, ldc, alpha, beta, 2, nr);
        }
    }

    /// <summary>2 x 16 tile; A read in place, row r at a + r * lda, contiguous in k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel2x16RowA(int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        float* a1 = a + 1 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ar;
            ar = Vector256.Create(a[p]);
            c00 = Vector256.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector256.Create(a1[p]);
            c10 = Vector256.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ar, b1, c11);
            b += bStep;
        }
        if (nr == 16)
        {
            Vector256<float> va = Vector256.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
            Update(c + 1 * ldc, c10, c11, va, beta);
        }
        else if (Avx.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector256<float> va = Vector256.Create(alpha);
            Vector256<float> m0 = Mask(nr), m1 = Mask(nr - 8);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
            UpdateMasked(c + 1 * ldc, c10, c11, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[32];
            c00.Store(tile + 0); c01.Store(tile + 8);
            c10.Store(tile + 16); c11.Store(tile + 24);
            UpdatePartial(tile, 16, c, ldc, alpha, beta, 2, nr);
        }
    }

    /// <summary>1 x 16 tile; A holds 1 consecutive floats per k step, steps aStep apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel1x16(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ar;
            ar = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ar, b1, c01);
            a += aStep;
            b += bStep;
        }
        if (nr == 16)
        {
            Vector256<float> va = Vector256.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
        }
        else if (Avx.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector256<float> va = Vector256.Create(alpha);
            Vector256<float> m0 = Mask(nr), m1 = Mask(nr - 8);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[16];
            c00.Store(tile + 0); c01.Store(tile + 8);
            UpdatePartial(tile, 16, c, ldc, alpha, beta, 1, nr);
        }
    }

    /// <summary>1 x 16 tile; A read in place, row r at a + r * lda, contiguous in k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel1x16RowA(int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta, int nr)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ar;
            ar = Vector256.Create(a[p]);
            c00 = Vector256.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ar, b1, c01);
            b += bStep;
        }
        if (nr == 16)
        {
            Vector256<float> va = Vector256.Create(alpha);
            Update(c + 0 * ldc, c00, c01, va, beta);
        }
        else if (Avx.IsSupported)
        {
            // Ragged right edge: masked loads and stores touch only the first nr columns (and never fault past them).
            Vector256<float> va = Vector256.Create(alpha);
            Vector256<float> m0 = Mask(nr), m1 = Mask(nr - 8);
            UpdateMasked(c + 0 * ldc, c00, c01, va, beta, m0, m1);
        }
        else
        {
            float* tile = stackalloc float[16];
            c00.Store(tile + 0); c01.Store(tile + 8);
            UpdatePartial(tile, 16, c, ldc, alpha, beta, 1, nr);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> acc0, Vector256<float> acc1, Vector256<float> alpha, float beta)
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

    /// <summary>Lanes below <paramref name="count"/> set (all bits), the rest clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mask(int count) => Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateMasked(float* c, Vector256<float> acc0, Vector256<float> acc1, Vector256<float> alpha, float beta, Vector256<float> m0, Vector256<float> m1)
    {
        if (beta == 0f)
        {
            Avx.MaskStore(c, m0, acc0 * alpha);
            Avx.MaskStore(c + 8, m1, acc1 * alpha);
        }
        else if (beta == 1f)
        {
            Avx.MaskStore(c, m0, Vector256.FusedMultiplyAdd(acc0, alpha, Avx.MaskLoad(c, m0)));
            Avx.MaskStore(c + 8, m1, Vector256.FusedMultiplyAdd(acc1, alpha, Avx.MaskLoad(c + 8, m1)));
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Avx.MaskStore(c, m0, Vector256.FusedMultiplyAdd(acc0, alpha, Avx.MaskLoad(c, m0) * vb));
            Avx.MaskStore(c + 8, m1, Vector256.FusedMultiplyAdd(acc1, alpha, Avx.MaskLoad(c + 8, m1) * vb));
        }
    }

    private static void UpdatePartial(float* tile, int tileStride, float* c, nint ldc, float alpha, float beta, int rows, int nr) =>
        GemmMicroKernels.UpdatePartial(tile, tileStride, c, ldc, alpha, beta, rows, nr);
}
