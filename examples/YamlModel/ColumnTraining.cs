using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Metrics;
using Fusion.Runtime.Models;
using Fusion.Runtime.Optim;

namespace YamlModel;

/// <summary>
/// Trains any generated model through the untyped bridge every <see cref="FusionModel"/> has
/// (<c>ForwardColumns</c>, <c>LossColumns</c>, <c>Descriptor</c>), with the spec's settings:
/// synthetic data split train/validation/test, Adam, one step per batch, every head's metrics.
/// A short loop of its own: the runtime's Trainer (src/Fusion.Runtime/Training) is not there yet.
/// </summary>
public static class ColumnTraining
{
    public static TrainingReport Run(FusionModel model, int? epochs, TextWriter output)
    {
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
        var optimizer = new Adam(
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
            foreach (var batch in loader.Epoch())
            {
                using var step = Tensor.NewScope();
                var loss = model.LossColumns(model.ForwardColumns(batch), batch);
                optimizer.ZeroGrad();
                loss.Total.Backward();
                optimizer.Step();
                sum += loss.Total.Item();
                batches++;
            }

            losses.Add(sum / batches);
            output.WriteLine($"epoch {epoch}: train loss {losses[^1]:F4}, validation {Format(Evaluate(model, parts[1], training.BatchSize))}");
        }

        var test = Evaluate(model, parts[2], training.BatchSize);
        output.WriteLine($"test: {Format(test)}");
        return new TrainingReport(losses, test);
    }

    /// <summary>Every metric of every head with a target, named <c>head.metric</c>.</summary>
    private static IReadOnlyDictionary<string, double> Evaluate(FusionModel model, Dataset data, int batchSize)
    {
        model.Eval();
        var heads = model.Descriptor.Heads.Where(h => h.Target is not null).ToList();
        var metrics = heads.ToDictionary(h => h, h => MetricSet.For(Enum.Parse<Fusion.Runtime.Metrics.HeadKind>(h.Kind.ToString())));
        using var loader = new DataLoader(data, batchSize);
        using (Tensor.NoGrad())
        {
            foreach (var batch in loader.Epoch())
            {
                using var step = Tensor.NewScope();
                var outputs = model.ForwardColumns(batch);
                foreach (var head in heads)
                {
                    if (head.Kind == Fusion.Runtime.Models.HeadKind.Classifier)
                    {
                        metrics[head].Add(outputs.Heads[head.Name], batch.Long(head.Target!));
                    }
                    else
                    {
                        metrics[head].Add(outputs.Heads[head.Name], batch.Float(head.Target!));
                    }
                }
            }
        }

        return metrics.SelectMany(m => m.Value.Compute().Select(v => (Name: m.Key.Name + "." + v.Key, v.Value)))
            .ToDictionary(p => p.Name, p => p.Value);
    }

    private static string Format(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Select(m => $"{m.Key} {m.Value:F3}"));
}
