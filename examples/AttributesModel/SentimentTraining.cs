using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Metrics;
using Fusion.Runtime.Models;
using Fusion.Runtime.Optim;

namespace AttributesModel;

/// <summary>
/// Trains <see cref="SentimentModel"/> with the settings its attributes declare (the generated
/// <c>Descriptor</c> carries them): synthetic data split train/validation/test, AdamW, one
/// optimiser step per batch through the typed <c>Batch</c>, <c>Forward</c> and <c>Loss</c>.
/// A short loop of its own: the runtime's Trainer (src/Fusion.Runtime/Training) is not there yet.
/// </summary>
public static class SentimentTraining
{
    public static TrainingReport Run(int? epochs, TextWriter output)
    {
        var model = new SentimentModel(new RandomSource(SentimentModel.Spec.Training.Seed));
        var training = model.Descriptor.Training;
        var settings = (SyntheticDataSettings)model.Descriptor.Data;
        var data = SyntheticData.Generate(model.Descriptor.Schema, new SyntheticOptions
        {
            Samples = settings.Samples,
            Latent = settings.Latent,
            Noise = settings.Noise,
            Seed = (ulong)settings.Seed,
        });
        var parts = data.Split(settings.Split, new RandomSource(settings.Seed));
        var optimizer = new AdamW(
            model.Parameters(),
            (float)training.Optimizer.Lr,
            (float)training.Optimizer.Beta1,
            (float)training.Optimizer.Beta2,
            weightDecay: (float)training.Optimizer.WeightDecay);
        output.WriteLine($"{model.Descriptor.Name}: {model.ParameterCount()} parameters; train {parts[0].Count}, validation {parts[1].Count}, test {parts[2].Count} samples");

        var losses = new List<double>();
        using var loader = new DataLoader(parts[0], training.BatchSize, shuffle: true, random: new RandomSource(training.Seed + 1));
        for (int epoch = 1; epoch <= (epochs ?? training.Epochs); epoch++)
        {
            model.Train();
            double sum = 0;
            int batches = 0;
            foreach (var columns in loader.Epoch())
            {
                using var step = Tensor.NewScope();
                var batch = SentimentModel.Batch.FromColumns(columns);
                var loss = model.Loss(model.Forward(batch), batch);
                optimizer.ZeroGrad();
                loss.Total.Backward();
                optimizer.Step();
                sum += loss.Total.Item();
                batches++;
            }

            losses.Add(sum / batches);
            var validation = Evaluate(model, parts[1], training.BatchSize);
            output.WriteLine($"epoch {epoch}: train loss {losses[^1]:F4}, validation accuracy {validation["accuracy"]:F3}, macro-F1 {validation["macro_f1"]:F3}");
        }

        var test = Evaluate(model, parts[2], training.BatchSize);
        output.WriteLine($"test: accuracy {test["accuracy"]:F3}, macro-F1 {test["macro_f1"]:F3}");
        return new TrainingReport(losses, test);
    }

    private static IReadOnlyDictionary<string, double> Evaluate(SentimentModel model, Dataset data, int batchSize)
    {
        model.Eval();
        var metrics = MetricSet.For(Fusion.Runtime.Metrics.HeadKind.Classifier);
        using var loader = new DataLoader(data, batchSize);
        using (Tensor.NoGrad())
        {
            foreach (var columns in loader.Epoch())
            {
                using var step = Tensor.NewScope();
                var batch = SentimentModel.Batch.FromColumns(columns);
                metrics.Add(model.Forward(batch).Sentiment, batch.Sentiment!);
            }
        }

        return metrics.Compute();
    }
}
