using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fusion.Runtime.Kernels;

/// <summary>
/// Products with very few output columns and A not transposed (a Linear layer with 1 to a few outputs:
/// C = X W^T with W stored n x k). The tiled kernels would compute 32-column tiles mostly of padding; here each
/// element is a dot product of a row of A with a column of op(B), both contiguous, as Vector256 partial sums over k
/// in a fixed order (results are reproducible, though not bit-equal to the tiled path), then C = alpha * dot + beta * C.
/// </summary>
internal static unsafe class GemmNarrow
{
    /// <summary>At most this many columns of C take the dot-product path (measured: see ManagedGemm).</summary>
    public const int MaxColumns = 8;

    public static bool Applies(bool transA, int n) => !transA && n <= MaxColumns;

    /// <summary>Rows [i0, i1) of C; the caller checked <see cref="Applies"/>.</summary>
    public static void Multiply(bool transB, int i0, int i1, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        // Column j of op(B) is row j of B when B is stored transposed; otherwise gather it once (n x k floats).
        float* columns = b;
        nint columnStride = ldb;
        if (!transB)
        {
            columns = GemmWorkspace.Current.B(n * k);
            columnStride = k;
            for (int p = 0; p < k; p++)
            {
                float* row = b + p * ldb;
                for (int j = 0; j < n; j++) columns[j * k + p] = row[j];
            }
        }

        // Blocks of 4 rows x 2 columns share their loads (8 accumulators); leftover rows and columns go one by one.
        float* sums = stackalloc float[8];
        int i = i0;
        for (; i + 4 <= i1; i += 4)
        {
            int j = 0;
            for (; j + 2 <= n; j += 2)
            {
                Dot4x2(a + i * lda, lda, columns + j * columnStride, columnStride, k, sums);
                for (int r = 0; r < 4; r++)
                {
                    Store(c + (i + r) * ldc + j, sums[2 * r], alpha, beta);
                    Store(c + (i + r) * ldc + j + 1, sums[2 * r + 1], alpha, beta);
                }
            }
            for (; j < n; j++)
                for (int r = 0; r < 4; r++)
                    Store(c + (i + r) * ldc + j, Dot(a + (i + r) * lda, columns + j * columnStride, k), alpha, beta);
        }
        for (; i < i1; i++)
            for (int j = 0; j < n; j++)
                Store(c + i * ldc + j, Dot(a + i * lda, columns + j * columnStride, k), alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, float dot, float alpha, float beta) =>
        *c = beta == 0f ? dot * alpha
            : beta == 1f ? MathF.FusedMultiplyAdd(dot, alpha, *c)
            : MathF.FusedMultiplyAdd(dot, alpha, *c * beta);

    /// <summary>sums[2r + q] = row r of A (rows lda apart) . column q of op(B) (columns ldcol apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x2(float* a, nint lda, float* col, nint ldcol, int k, float* sums)
    {
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, col1 = col + ldcol;
        Vector256<float> s00 = Vector256<float>.Zero, s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        int p = 0;
        for (; p <= k - 8; p += 8)
        {
            Vector256<float> y0 = Vector256.Load(col + p), y1 = Vector256.Load(col1 + p);
            Vector256<float> x = Vector256.Load(a + p);
            s00 = Vector256.FusedMultiplyAdd(x, y0, s00);
            s01 = Vector256.FusedMultiplyAdd(x, y1, s01);
            x = Vector256.Load(a1 + p);
            s10 = Vector256.FusedMultiplyAdd(x, y0, s10);
            s11 = Vector256.FusedMultiplyAdd(x, y1, s11);
            x = Vector256.Load(a2 + p);
            s20 = Vector256.FusedMultiplyAdd(x, y0, s20);
            s21 = Vector256.FusedMultiplyAdd(x, y1, s21);
            x = Vector256.Load(a3 + p);
            s30 = Vector256.FusedMultiplyAdd(x, y0, s30);
            s31 = Vector256.FusedMultiplyAdd(x, y1, s31);
        }
        float t00 = Vector256.Sum(s00), t01 = Vector256.Sum(s01), t10 = Vector256.Sum(s10), t11 = Vector256.Sum(s11);
        float t20 = Vector256.Sum(s20), t21 = Vector256.Sum(s21), t30 = Vector256.Sum(s30), t31 = Vector256.Sum(s31);
        for (; p < k; p++)
        {
            float y0 = col[p], y1 = col1[p];
            t00 = MathF.FusedMultiplyAdd(a[p], y0, t00);
            t01 = MathF.FusedMultiplyAdd(a[p], y1, t01);
            t10 = MathF.FusedMultiplyAdd(a1[p], y0, t10);
            t11 = MathF.FusedMultiplyAdd(a1[p], y1, t11);
            t20 = MathF.FusedMultiplyAdd(a2[p], y0, t20);
            t21 = MathF.FusedMultiplyAdd(a2[p], y1, t21);
            t30 = MathF.FusedMultiplyAdd(a3[p], y0, t30);
            t31 = MathF.FusedMultiplyAdd(a3[p], y1, t31);
        }
        sums[0] = t00; sums[1] = t01; sums[2] = t10; sums[3] = t11;
        sums[4] = t20; sums[5] = t21; sums[6] = t30; sums[7] = t31;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* x, float* y, int k)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (; p <= k - 32; p += 32)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p + 8), Vector256.Load(y + p + 8), s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p + 16), Vector256.Load(y + p + 16), s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p + 24), Vector256.Load(y + p + 24), s3);
        }
        for (; p <= k - 8; p += 8)
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), s0);
        float sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; p < k; p++) sum = MathF.FusedMultiplyAdd(x[p], y[p], sum);
        return sum;
    }
}
