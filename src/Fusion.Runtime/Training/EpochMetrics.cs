namespace Fusion.Runtime.Training;

/// <summary>
/// The metrics of one epoch, as written to <c>metrics.jsonl</c>: the epoch (1-based), the
/// learning rate of each parameter group during it, the mean training loss and the mean of every
/// loss term (<c>train_&lt;term&gt;</c>), and the validation metrics (<c>val_loss</c>,
/// <c>val_&lt;term&gt;</c>, and the head metrics, see <see cref="Evaluator"/>).
/// </summary>
public sealed record EpochMetrics(
    int Epoch,
    IReadOnlyDictionary<string, double> LearningRates,
    double TrainLoss,
    IReadOnlyDictionary<string, double> TrainTerms,
    IReadOnlyDictionary<string, double> Validation)
{
    /// <summary>Every value of the epoch by its <c>metrics.jsonl</c> name (<c>lr</c>, <c>train_loss</c>, <c>train_&lt;term&gt;</c>, <c>val_*</c>).</summary>
    public IReadOnlyDictionary<string, double> All()
    {
        var all = new Dictionary<string, double>();
        var first = true;
        foreach (var (group, lr) in LearningRates)
        {
            if (first) all["lr"] = lr;
            if (LearningRates.Count > 1) all["lr_" + group] = lr;
            first = false;
        }

        all["train_loss"] = TrainLoss;
        foreach (var (term, value) in TrainTerms) all["train_" + term] = value;
        foreach (var (name, value) in Validation) all[name] = value;
        return all;
    }
}
