namespace Fusion.Runtime.Losses;

/// <summary>
/// The dynamic-programming core of <see cref="Loss.Dtw"/> for one sample, in double precision:
/// the forward recursion over the valid block of the cost matrix, and the alignment matrix
/// <c>E = dR_{la,lb} / dC</c> (soft-DTW: Cuturi and Blondel's backward recursion; hard DTW: the
/// indicator of one optimal path).
/// </summary>
internal static class DtwRecursion
{
    /// <summary>
    /// Runs the recursion over <c>cost[i * stride + j]</c> for i &lt; <paramref name="rows"/>,
    /// j &lt; <paramref name="columns"/>; writes E into <paramref name="alignment"/> (same layout,
    /// zero outside the block) and returns <c>R_{rows, columns}</c>.
    /// </summary>
    public static double Run(ReadOnlySpan<float> cost, int stride, int rows, int columns, float gamma, Span<float> alignment)
    {
        int width = columns + 1;
        var r = new double[(rows + 1) * width];
        Array.Fill(r, double.PositiveInfinity);
        r[0] = 0;
        for (int i = 1; i <= rows; i++)
        {
            for (int j = 1; j <= columns; j++)
            {
                double diagonal = r[(i - 1) * width + j - 1], up = r[(i - 1) * width + j], left = r[i * width + j - 1];
                r[i * width + j] = cost[(i - 1) * stride + j - 1] + SoftMin(diagonal, up, left, gamma);
            }
        }

        alignment.Clear();
        if (gamma == 0f) TracePath(r, width, rows, columns, stride, alignment);
        else SoftAlignment(r, width, cost, stride, rows, columns, gamma, alignment);
        return r[rows * width + columns];
    }

    /// <summary><c>min_gamma(a, b, c) = -gamma log(e^{-a/gamma} + e^{-b/gamma} + e^{-c/gamma})</c>, shifted by the minimum; the minimum at gamma = 0.</summary>
    private static double SoftMin(double a, double b, double c, float gamma)
    {
        double min = Math.Min(a, Math.Min(b, c));
        if (gamma == 0f || double.IsPositiveInfinity(min)) return min;
        double sum = Math.Exp((min - a) / gamma) + Math.Exp((min - b) / gamma) + Math.Exp((min - c) / gamma);
        return min - gamma * Math.Log(sum);
    }

    /// <summary>
    /// Soft-DTW backward (Cuturi and Blondel 2017, algorithm 2): <c>E_{la,lb} = 1</c> and, in
    /// reverse order, <c>E_ij = sum_s E_s exp((R_s - C_s - R_ij) / gamma)</c> over the successors
    /// s in {(i+1, j), (i, j+1), (i+1, j+1)} inside the block: <c>R_s - C_s</c> is the soft
    /// minimum of s's predecessors, so each factor is the weight of (i, j) in it (at most 1).
    /// </summary>
    private static void SoftAlignment(double[] r, int width, ReadOnlySpan<float> cost, int stride, int rows, int columns, float gamma, Span<float> alignment)
    {
        var e = new double[(rows + 2) * (width + 1)];
        int ew = width + 1;
        e[rows * ew + columns] = 1;
        for (int i = rows; i >= 1; i--)
        {
            for (int j = columns; j >= 1; j--)
            {
                double here = r[i * width + j];
                double total = i == rows && j == columns ? 1 : 0;
                if (i < rows) total += e[(i + 1) * ew + j] * Weight(r[(i + 1) * width + j], cost[i * stride + j - 1], here, gamma);
                if (j < columns) total += e[i * ew + j + 1] * Weight(r[i * width + j + 1], cost[(i - 1) * stride + j], here, gamma);
                if (i < rows && j < columns) total += e[(i + 1) * ew + j + 1] * Weight(r[(i + 1) * width + j + 1], cost[i * stride + j], here, gamma);
                e[i * ew + j] = total;
                alignment[(i - 1) * stride + j - 1] = (float)total;
            }
        }
    }

    private static double Weight(double successor, float successorCost, double here, float gamma) =>
        Math.Exp((successor - successorCost - here) / gamma);

    /// <summary>Hard DTW: marks one optimal path from (la, lb) back to (1, 1), preferring the diagonal, then the step in x, on ties.</summary>
    private static void TracePath(double[] r, int width, int rows, int columns, int stride, Span<float> alignment)
    {
        int i = rows, j = columns;
        while (true)
        {
            alignment[(i - 1) * stride + j - 1] = 1f;
            if (i == 1 && j == 1) return;
            double diagonal = r[(i - 1) * width + j - 1], up = r[(i - 1) * width + j], left = r[i * width + j - 1];
            if (diagonal <= up && diagonal <= left) { i--; j--; }
            else if (up <= left) i--;
            else j--;
        }
    }
}
