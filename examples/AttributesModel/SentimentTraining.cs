using System.Globalization;
using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Models;
using Fusion.Runtime.Training;

namespace AttributesModel;

/// <summary>
/// Trains <see cref="SentimentModel"/> with the runtime's <see cref="Trainer"/> and the settings its
/// attributes declare (the generated <c>Descriptor</c> carries them): synthetic data split
/// train/validation/test, the spec's optimiser, epochs and batch size; then evaluates the test
/// split and shows a few predictions through the typed <c>Batch</c> and <c>Forward</c>.
/// </summary>
public static class SentimentTraining
{
    private const int ShownPredictions = 5;

    public static TrainingReport Run(int? epochs, TextWriter output)
    {
        var model = new SentimentModel(new RandomSource(SentimentModel.Spec.Training.Seed));
        var settings = (SyntheticDataSettings)model.Descriptor.Data;
        var data = SyntheticData.Generate(model.Descriptor.Schema, settings.ToOptions());
        var parts = data.Split(settings.Split, new RandomSource(settings.Seed));
        output.WriteLine($"{model.Descriptor.Name}: {model.ParameterCount()} parameters; train {parts[0].Count}, validation {parts[1].Count}, test {parts[2].Count} samples");

        var trainer = new Trainer(model, new TrainerOptions
        {
            Epochs = epochs,
            EpochEnd = e => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch}: train loss {e.TrainLoss:F4}, {MetricText.Format(e.Validation)}")),
        });
        var result = trainer.Fit(parts[0], parts[1]);

        var test = Evaluator.Evaluate(model, parts[2], model.Descriptor.Training.BatchSize);
        output.WriteLine($"test: {MetricText.Format(test.Metrics)} (best epoch {result.BestEpoch})");
        ShowPredictions(model, parts[2], output);
        return new TrainingReport(result.Epochs.Select(e => e.TrainLoss).ToList(), test.Metrics);
    }

    /// <summary>The typed API: one test batch through <c>Forward</c>, class scores to predicted classes.</summary>
    private static void ShowPredictions(SentimentModel model, Dataset test, TextWriter output)
    {
        model.Eval();
        using var loader = new DataLoader(test, ShownPredictions);
        using var noGrad = Tensor.NoGrad();
        var batch = SentimentModel.Batch.FromColumns(loader.Epoch().First());
        var predicted = model.Forward(batch).Sentiment.ArgMax(-1).AsSpan().ToArray();
        var truth = batch.Sentiment!.AsSpan().ToArray();
        output.WriteLine($"predicted {string.Join(" ", predicted)} for true {string.Join(" ", truth)}");
    }
}
