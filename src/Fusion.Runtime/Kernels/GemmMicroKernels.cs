namespace Fusion.Runtime.Kernels;

/// <summary>
/// The contract shared by the register-blocked micro-kernels (<see cref="GemmMicroKernels512"/>, <see cref="GemmMicroKernels256"/>).
/// A kernel computes one rows x NR tile of C = alpha * A_sliver * B_sliver + beta * C over kc steps of k:
/// the A sliver is rows of op(A) read in place (row kernels: row r at a + r * lda; step kernels: the rows' values
/// for one k step are consecutive, and steps are aStep apart), the B sliver is packed, NR floats per k step with
/// columns past the matrix edge zero. Only the first nr columns of the tile are written. When beta is 0, C is
/// not read. Each element of C is accumulated in k order by one FMA chain starting from zero, and the update
/// is alpha * acc + beta * c with one rounding, in the vector and the scalar edge path alike; so results do not
/// depend on the tile that covers an element, on the vector width, or on the number of threads.
/// </summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>Edge tiles: the vector update's arithmetic, element by element, touching only rows x nr of C.</summary>
    public static void UpdatePartial(float* tile, int tileStride, float* c, nint ldc, float alpha, float beta, int rows, int nr)
    {
        for (int i = 0; i < rows; i++)
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
