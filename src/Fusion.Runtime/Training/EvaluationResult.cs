namespace Fusion.Runtime.Training;

/// <summary>
/// Metrics over a whole dataset: the mean total loss, the mean of every loss term (unweighted),
/// and the head metrics (see <see cref="Evaluator"/>), all by name in <see cref="Metrics"/>
/// (<c>loss</c>, each term, then the head metrics).
/// </summary>
public sealed record EvaluationResult(int Samples, double Loss, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The metrics with <paramref name="prefix"/> before each name (<c>val_loss</c>, <c>test_accuracy</c>).</summary>
    public IReadOnlyDictionary<string, double> WithPrefix(string prefix) =>
        Metrics.ToDictionary(m => prefix + m.Key, m => m.Value);
}
