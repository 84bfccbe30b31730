using System.Globalization;
using Fusion.Runtime.Training;

namespace Fusion.Cli.Running;

/// <summary>
/// How the CLI prints metrics: <c>name value</c> pairs on one line, values with four decimals.
/// Per-label multilabel metrics (<c>accuracy_3</c>) and per-group learning rates (<c>lr_heads</c>)
/// stay in <c>metrics.jsonl</c> only, so a line stays readable.
/// </summary>
internal static partial class MetricsText
{
    public static string Format(IEnumerable<KeyValuePair<string, double>> metrics) =>
        string.Join("  ", metrics.Where(m => !Detail().IsMatch(m.Key)).Select(m => $"{m.Key} {Value(m.Value)}"));

    [System.Text.RegularExpressions.GeneratedRegex(@"(_[0-9]+$)|(^lr_)")]
    private static partial System.Text.RegularExpressions.Regex Detail();

    /// <summary><c>epoch 3/10  lr 0.0010  train_loss 0.8123  ...  val_accuracy 0.6100</c>.</summary>
    public static string Epoch(EpochMetrics epoch, int epochs) =>
        $"epoch {epoch.Epoch}/{epochs}  " + Format(epoch.All());

    /// <summary><c>test  loss 0.81  accuracy 0.62</c>: the label, then the metrics.</summary>
    public static string Result(string label, EvaluationResult result) => $"{label}  " + Format(result.Metrics);

    public static string Value(double value) =>
        double.IsFinite(value)
            ? Math.Abs(value) is > 0 and < 1e-3 ? value.ToString("0.000e+0", CultureInfo.InvariantCulture) : value.ToString("0.0000", CultureInfo.InvariantCulture)
            : value.ToString(CultureInfo.InvariantCulture);
}
