namespace Fusion.Runtime.Compute;

/// <summary>
/// Walks the outer dimensions of up to two strided operands in row-major order, after the
/// dimensions have been coalesced; the innermost dimension is left to the caller as a run.
/// Output is assumed contiguous, so the linear outer index is the output row.
/// </summary>
internal ref struct StridedCursor
{
    private readonly ReadOnlySpan<int> dims;
    private readonly ReadOnlySpan<int> stridesA;
    private readonly ReadOnlySpan<int> stridesB;
    private readonly Span<int> index;
    public int OffsetA;
    public int OffsetB;

    public StridedCursor(ReadOnlySpan<int> outerDims, ReadOnlySpan<int> stridesA, ReadOnlySpan<int> stridesB, Span<int> scratch, int baseA, int baseB, int start)
    {
        dims = outerDims;
        this.stridesA = stridesA;
        this.stridesB = stridesB;
        index = scratch[..outerDims.Length];
        OffsetA = baseA;
        OffsetB = baseB;
        int rest = start;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            int d = dims[i];
            int k = d == 0 ? 0 : rest % d;
            rest = d == 0 ? 0 : rest / d;
            index[i] = k;
            OffsetA += k * stridesA[i];
            OffsetB += k * stridesB[i];
        }
    }

    public void Advance()
    {
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            index[i]++;
            OffsetA += stridesA[i];
            OffsetB += stridesB[i];
            if (index[i] < dims[i]) return;
            OffsetA -= stridesA[i] * dims[i];
            OffsetB -= stridesB[i] * dims[i];
            index[i] = 0;
        }
    }

    /// <summary>
    /// Merges adjacent dimensions that are contiguous with each other in every operand (the
    /// output being contiguous). Drops size-1 dimensions. Returns the new rank (at least 1).
    /// </summary>
    public static int Coalesce(Span<int> shape, Span<int> a, Span<int> b, int rank)
    {
        int w = 0;
        for (int i = 0; i < rank; i++)
        {
            if (shape[i] == 1) continue;
            if (w > 0 && a[w - 1] == a[i] * shape[i] && b[w - 1] == b[i] * shape[i])
            {
                shape[w - 1] *= shape[i];
                a[w - 1] = a[i];
                b[w - 1] = b[i];
                continue;
            }
            shape[w] = shape[i];
            a[w] = a[i];
            b[w] = b[i];
            w++;
        }
        if (w == 0)
        {
            shape[0] = 1; a[0] = 0; b[0] = 0;
            w = 1;
        }
        return w;
    }
}
