namespace Fusion.Runtime.Metrics;

/// <summary>Cross-modal retrieval: recall@k of two embedding matrices whose row i belong together.</summary>
public static class RetrievalMetrics
{
    /// <summary>
    /// Recall@k for queries <paramref name="queries"/> <c>[N, D]</c> against candidates
    /// <paramref name="candidates"/> <c>[N, D]</c>: candidates are ranked by cosine similarity to
    /// each query, query i's match is candidate i, and the result is the fraction of queries whose
    /// match is among the first k. Ties count against the match (a candidate as similar as the match
    /// ranks before it), so collapsed embeddings do not score well.
    /// </summary>
    public static double RecallAtK(Tensor queries, Tensor candidates, int k) =>
        RecallAtK(queries, candidates, [k])[0];

    /// <summary>Recall at each k in <paramref name="ks"/>, from one similarity pass.</summary>
    public static double[] RecallAtK(Tensor queries, Tensor candidates, IReadOnlyList<int> ks)
    {
        if (queries.Rank != 2 || candidates.Rank != 2 || queries.Size(0) != candidates.Size(0) || queries.Size(1) != candidates.Size(1))
            throw new ArgumentException($"Recall@k needs two embedding matrices [N, D] of one shape; got [{string.Join(", ", queries.Shape.ToArray())}] and [{string.Join(", ", candidates.Shape.ToArray())}].");
        int n = queries.Size(0), d = queries.Size(1);
        if (n == 0) throw new ArgumentException("No samples to score.");
        foreach (int k in ks) if (k <= 0) throw new ArgumentOutOfRangeException(nameof(ks), k, "k must be positive.");
        var q = Normalised(queries.Contiguous().ToArray(), n, d);
        var c = Normalised(candidates.Contiguous().ToArray(), n, d);
        var hits = new int[ks.Count];
        var similarities = new double[n];
        for (int i = 0; i < n; i++)
        {
            var qi = q.AsSpan(i * d, d);
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                var cj = c.AsSpan(j * d, d);
                for (int e = 0; e < d; e++) s += qi[e] * cj[e];
                similarities[j] = s;
            }
            int before = 0;
            for (int j = 0; j < n; j++) if (j != i && similarities[j] >= similarities[i]) before++;
            for (int m = 0; m < ks.Count; m++) if (before < ks[m]) hits[m]++;
        }
        var recall = new double[ks.Count];
        for (int m = 0; m < ks.Count; m++) recall[m] = (double)hits[m] / n;
        return recall;
    }

    private static double[] Normalised(float[] values, int n, int d)
    {
        var result = new double[values.Length];
        for (int i = 0; i < n; i++)
        {
            double norm = 0;
            for (int e = 0; e < d; e++) norm += (double)values[i * d + e] * values[i * d + e];
            norm = Math.Max(Math.Sqrt(norm), 1e-12);
            for (int e = 0; e < d; e++) result[i * d + e] = values[i * d + e] / norm;
        }
        return result;
    }
}
