using Fusion.Runtime.Data;
using Fusion.Runtime.Models;

namespace Fusion.Runtime.Training;

/// <summary>
/// Metrics of a model on a dataset, in eval mode under NoGrad, batch by batch inside a tensor
/// scope: the loss and every loss term (means over samples), the head metrics chosen from
/// the head kinds, and recall@k of each retrieval pair of embedding heads over the whole data
/// (<see cref="RetrievalPairMetrics"/>). The model's training mode is restored afterwards.
/// </summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(FusionModel model, Dataset data, int batchSize)
    {
        if (data.Count == 0) throw new TrainingException("cannot evaluate on an empty dataset");
        var missing = model.Descriptor.Targets.Where(t => !data.Contains(t.Name)).Select(t => t.Name).ToArray();
        if (missing.Length > 0)
            throw new TrainingException($"the data has no target {string.Join(", ", missing.Select(m => $"'{m}'"))}, which evaluation needs");

        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            var heads = new HeadMetrics(model.Descriptor);
            var pairs = new RetrievalPairMetrics(model.Descriptor);
            double loss = 0;
            var terms = new Dictionary<string, double>();
            using var loader = new DataLoader(data, Math.Min(batchSize, data.Count));
            using (Tensor.NoGrad())
            {
                foreach (var batch in loader.Epoch())
                {
                    using var scope = Tensor.NewScope();
                    var outputs = model.ForwardColumns(batch);
                    var breakdown = model.LossColumns(outputs, batch);
                    loss += breakdown.Total.Item() * (double)batch.Size;
                    foreach (var (name, value, _) in breakdown.Terms)
                    {
                        terms[name] = terms.GetValueOrDefault(name) + value.Item() * (double)batch.Size;
                    }

                    heads.Add(outputs, batch);
                    pairs.Add(outputs);
                }
            }

            var metrics = new Dictionary<string, double> { ["loss"] = loss / data.Count };
            foreach (var (name, sum) in terms)
            {
                if (name != "loss") metrics[name] = sum / data.Count;
            }

            heads.AddTo(metrics);
            pairs.AddTo(metrics);
            return new EvaluationResult(data.Count, loss / data.Count, metrics);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}
