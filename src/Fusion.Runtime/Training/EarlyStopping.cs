namespace Fusion.Runtime.Training;

/// <summary>
/// The metric that picks the best epoch (and stops training when it has not improved for
/// <see cref="Patience"/> epochs, when set): <c>val_loss</c> and <c>val_mae</c> are minimised,
/// <c>val_accuracy</c> maximised. With several scored heads <c>val_accuracy</c> reads the first
/// <c>val_&lt;head&gt;_accuracy</c>.
/// </summary>
internal sealed class EarlyStopping
{
    public EarlyStopping(string metric, int? patience)
    {
        Metric = metric;
        Patience = patience;
        Maximize = metric.EndsWith("accuracy", StringComparison.Ordinal) || metric.EndsWith("pearson", StringComparison.Ordinal) || metric.EndsWith("f1", StringComparison.Ordinal);
    }

    public string Metric { get; }

    public int? Patience { get; }

    public bool Maximize { get; }

    public double Best { get; private set; } = double.NaN;

    public int BestEpoch { get; private set; }

    public int BadEpochs { get; private set; }

    /// <summary>The value of the metric among an epoch's values, or null when the epoch has none of that name.</summary>
    public double? Read(IReadOnlyDictionary<string, double> values)
    {
        if (values.TryGetValue(Metric, out var exact)) return exact;
        const string prefix = "val_";
        if (!Metric.StartsWith(prefix, StringComparison.Ordinal)) return null;
        string suffix = "_" + Metric[prefix.Length..];
        foreach (var (name, value) in values)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(suffix, StringComparison.Ordinal)) return value;
        }

        return null;
    }

    /// <summary>Records an epoch's value; true when it is the best so far.</summary>
    public bool Observe(int epoch, double value)
    {
        bool better = double.IsNaN(Best) || (Maximize ? value > Best : value < Best);
        if (better && double.IsFinite(value))
        {
            Best = value;
            BestEpoch = epoch;
            BadEpochs = 0;
            return true;
        }

        BadEpochs++;
        return false;
    }

    /// <summary>Continues from a saved best value, its epoch and the epochs since.</summary>
    public void Resume(double best, int bestEpoch, int badEpochs)
    {
        Best = best;
        BestEpoch = bestEpoch;
        BadEpochs = badEpochs;
    }

    public bool ShouldStop => Patience is int p && BadEpochs >= p;
}
