using System.Globalization;

namespace YamlModel;

/// <summary>Metrics as one line: <c>val_loss 0.912, val_accuracy 0.587</c>.</summary>
internal static class MetricText
{
    public static string Format(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:F3}")));
}
