namespace Fusion.Runtime.Kernels;

/// <summary>Single-precision matrix product on row-major storage.</summary>
public static class Gemm
{
    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, all row-major. op(A) is m x k, op(B) is k x n, C is m x n.
    /// lda, ldb, ldc are the row strides of A, B, C as stored (before the transpose).
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float x = transA ? a[p * lda + i] : a[i * lda + p];
                    float y = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += x * y;
                }
                c[i * ldc + j] = beta == 0f ? alpha * sum : alpha * sum + beta * c[i * ldc + j];
            }
        }
    }
}
