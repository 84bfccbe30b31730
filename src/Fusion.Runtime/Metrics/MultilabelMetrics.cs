namespace Fusion.Runtime.Metrics;

/// <summary>
/// Per-label accuracy and F1 of multilabel predictions: logits <c>[N, L]</c> are thresholded at 0
/// (probability 0.5), targets are 0/1.
/// </summary>
public static class MultilabelMetrics
{
    /// <summary>For each label, the fraction of samples predicted right.</summary>
    public static double[] PerLabelAccuracy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int labels)
    {
        int n = Samples(logits.Length, targets.Length, labels);
        var accuracy = new double[labels];
        for (int l = 0; l < labels; l++)
        {
            int correct = 0;
            for (int i = 0; i < n; i++) if (logits[i * labels + l] > 0f == targets[i * labels + l] > 0.5f) correct++;
            accuracy[l] = (double)correct / n;
        }
        return accuracy;
    }

    /// <summary>For each label, F1 = 2 TP / (2 TP + FP + FN) of the positive class (0 when a label is never positive nor predicted positive).</summary>
    public static double[] PerLabelF1(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int labels)
    {
        int n = Samples(logits.Length, targets.Length, labels);
        var f1 = new double[labels];
        for (int l = 0; l < labels; l++)
        {
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < n; i++)
            {
                bool p = logits[i * labels + l] > 0f, t = targets[i * labels + l] > 0.5f;
                if (p && t) tp++;
                else if (p) fp++;
                else if (t) fn++;
            }
            int denominator = 2 * tp + fp + fn;
            f1[l] = denominator == 0 ? 0 : 2.0 * tp / denominator;
        }
        return f1;
    }

    private static int Samples(int logits, int targets, int labels)
    {
        if (labels <= 0) throw new ArgumentOutOfRangeException(nameof(labels));
        if (logits != targets) throw new ArgumentException($"{logits} logits for {targets} targets.");
        if (logits == 0 || logits % labels != 0) throw new ArgumentException($"{logits} values are not a whole number (> 0) of samples of {labels} labels.");
        return logits / labels;
    }
}
