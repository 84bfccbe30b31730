namespace Fusion.Runtime.Metrics;

/// <summary>Mean absolute error and Pearson correlation of real-valued predictions.</summary>
public static class RegressionMetrics
{
    public static double MeanAbsoluteError(ReadOnlySpan<float> predicted, ReadOnlySpan<float> truth)
    {
        CheckLengths(predicted.Length, truth.Length);
        double sum = 0;
        for (int i = 0; i < truth.Length; i++) sum += Math.Abs((double)predicted[i] - truth[i]);
        return sum / truth.Length;
    }

    /// <summary>
    /// Pearson's r = cov(x, y) / (std(x) std(y)), computed in double with centred sums.
    /// NaN when either side is constant (the correlation is undefined), as numpy's corrcoef.
    /// </summary>
    public static double Pearson(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckLengths(x.Length, y.Length);
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) return double.NaN;
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1.0, 1.0);
    }

    private static void CheckLengths(int predicted, int truth)
    {
        if (predicted != truth) throw new ArgumentException($"{predicted} predictions for {truth} targets.");
        if (truth == 0) throw new ArgumentException("No samples to score.");
    }
}
