using System.Globalization;
using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Models;
using Fusion.Runtime.Training;

namespace YamlModel;

/// <summary>
/// Trains any generated model with the runtime's <see cref="Trainer"/> and its spec's settings
/// (synthetic data split train/validation/test, optimiser, epochs, batch size), then evaluates
/// the test split with <see cref="Evaluator"/>. Nothing here depends on which model it is.
/// </summary>
public static class ModelTraining
{
    public static TrainingReport Run(FusionModel model, int? epochs, TextWriter output)
    {
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
        return new TrainingReport(result.Epochs.Select(e => e.TrainLoss).ToList(), test.Metrics);
    }
}
