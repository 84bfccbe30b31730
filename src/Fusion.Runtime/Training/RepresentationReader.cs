using Fusion.Runtime.Data;
using Fusion.Runtime.Models;

namespace Fusion.Runtime.Training;

/// <summary>
/// One output of a model on every sample of a dataset, in dataset order: a head's output or a
/// representation the heads and losses read (<c>node</c> or <c>node.member</c>, see
/// <see cref="FusionOutputs"/>), computed in eval mode under NoGrad. The output must be a vector
/// per sample (<c>[B, d]</c>). The model's training mode is restored afterwards.
/// </summary>
public static class RepresentationReader
{
    /// <summary>The output <paramref name="name"/> on every sample: row-major <c>[data.Count, Width]</c>.</summary>
    public static (float[] Values, int Width) Read(FusionModel model, Dataset data, string name, int batchSize)
    {
        if (data.Count == 0) throw new TrainingException("cannot read representations of an empty dataset");
        var values = new List<float>();
        int width = -1;
        Run(model, data, batchSize, outputs =>
        {
            var output = outputs.Heads.TryGetValue(name, out var head) ? head
                : outputs.Representations.TryGetValue(name, out var value) ? value
                : throw new TrainingException($"model '{model.Descriptor.Name}' has no output '{name}'; it has {string.Join(", ", outputs.Heads.Keys.Concat(outputs.Representations.Keys).Distinct())}");
            if (output.Rank != 2)
                throw new TrainingException($"'{name}' is [{string.Join(", ", output.Shape.ToArray())}] per batch, not a vector per sample ([B, d]); pool it to a vector first");
            width = output.Shape[1];
            values.AddRange(output.Contiguous().ToArray());
        });
        return (values.ToArray(), width);
    }

    private static void Run(FusionModel model, Dataset data, int batchSize, Action<FusionOutputs> take)
    {
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var loader = new DataLoader(data, Math.Min(batchSize, data.Count));
            using (Tensor.NoGrad())
            {
                foreach (var batch in loader.Epoch())
                {
                    using var scope = Tensor.NewScope();
                    take(model.ForwardColumns(batch));
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}
