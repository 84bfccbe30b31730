namespace Fusion.Runtime.Metrics;

/// <summary>Accuracy and macro-F1 of class predictions.</summary>
public static class ClassificationMetrics
{
    /// <summary>The arg-max class of each row of logits <c>[B, C]</c> (the first on ties).</summary>
    public static long[] Predict(Tensor logits)
    {
        if (logits.Rank != 2) throw new ArgumentException($"Expected logits [B, C]; shape is [{string.Join(", ", logits.Shape.ToArray())}].");
        int b = logits.Size(0), c = logits.Size(1);
        var values = logits.Contiguous().ToArray();
        var predicted = new long[b];
        for (int i = 0; i < b; i++)
        {
            int best = 0;
            for (int j = 1; j < c; j++) if (values[i * c + j] > values[i * c + best]) best = j;
            predicted[i] = best;
        }
        return predicted;
    }

    /// <summary>The fraction of positions where <paramref name="predicted"/> equals <paramref name="truth"/>.</summary>
    public static double Accuracy(ReadOnlySpan<long> predicted, ReadOnlySpan<long> truth)
    {
        CheckLengths(predicted.Length, truth.Length);
        int correct = 0;
        for (int i = 0; i < truth.Length; i++) if (predicted[i] == truth[i]) correct++;
        return (double)correct / truth.Length;
    }

    /// <summary>
    /// The unweighted mean over classes of F1 = 2 TP / (2 TP + FP + FN), as scikit-learn's
    /// <c>f1_score(average="macro")</c>: the mean runs over the classes that occur in the truth or
    /// the predictions (a class predicted but never true counts with F1 0; a class in neither is left out).
    /// </summary>
    public static double MacroF1(ReadOnlySpan<long> predicted, ReadOnlySpan<long> truth, int classes)
    {
        CheckLengths(predicted.Length, truth.Length);
        var tp = new int[classes];
        var fp = new int[classes];
        var fn = new int[classes];
        for (int i = 0; i < truth.Length; i++)
        {
            long p = predicted[i], t = truth[i];
            if ((ulong)p >= (ulong)classes || (ulong)t >= (ulong)classes)
                throw new ArgumentOutOfRangeException(nameof(predicted), $"Sample {i}: class {((ulong)p >= (ulong)classes ? p : t)} is outside [0, {classes}).");
            if (p == t) tp[t]++;
            else { fp[p]++; fn[t]++; }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++)
        {
            int denominator = 2 * tp[c] + fp[c] + fn[c];
            if (denominator == 0) continue;
            sum += 2.0 * tp[c] / denominator;
            present++;
        }
        return present == 0 ? 0 : sum / present;
    }

    private static void CheckLengths(int predicted, int truth)
    {
        if (predicted != truth) throw new ArgumentException($"{predicted} predictions for {truth} targets.");
        if (truth == 0) throw new ArgumentException("No samples to score.");
    }
}
