using Fusion.Runtime.Data;
using Fusion.Runtime.Models;

namespace Fusion.Runtime.Training;

/// <summary>
/// The heads' outputs (logits for classifier and multilabel heads, values for regressors,
/// vectors for embeddings) on every sample of a dataset, in dataset order, computed in eval mode
/// under NoGrad; targets are not needed. The model's training mode is restored afterwards.
/// </summary>
public static class Predictor
{
    public static IReadOnlyList<HeadPrediction> Predict(FusionModel model, Dataset data, int batchSize)
    {
        if (data.Count == 0) throw new TrainingException("cannot predict on an empty dataset");
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            var values = model.Descriptor.Heads.ToDictionary(h => h.Name, _ => new List<float>());
            var shapes = new Dictionary<string, int[]>();
            using var loader = new DataLoader(data, Math.Min(batchSize, data.Count));
            using (Tensor.NoGrad())
            {
                foreach (var batch in loader.Epoch())
                {
                    using var scope = Tensor.NewScope();
                    var outputs = model.ForwardColumns(batch);
                    foreach (var head in model.Descriptor.Heads)
                    {
                        var output = outputs.Heads[head.Name];
                        shapes[head.Name] = output.Shape.ToArray();
                        values[head.Name].AddRange(output.Contiguous().ToArray());
                    }
                }
            }

            return model.Descriptor.Heads.Select(h =>
            {
                var shape = shapes[h.Name].ToArray();
                shape[0] = data.Count;
                return new HeadPrediction(h.Name, values[h.Name].ToArray(), shape);
            }).ToArray();
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}
