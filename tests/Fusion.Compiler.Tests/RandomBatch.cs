using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Spec.Ir;
using ModalityKind = Fusion.Spec.Ir.ModalityKind;

namespace Fusion.Compiler.Tests;

/// <summary>A seeded random batch for a spec, as the data layer hands it to a model: a Dataset through a DataLoader.</summary>
internal static class RandomBatch
{
    /// <summary>The length of an open sequence axis in random batches.</summary>
    public const int OpenLength = 5;

    public static DataLoader Loader(FusionSpec spec, int batchSize, ulong seed)
    {
        var random = new RandomSource(seed);
        var columns = new List<DataColumn>();
        foreach (var m in spec.Modalities)
        {
            var shape = m.Shape.Dims.Select(d => d == Shape.Open ? OpenLength : d).ToArray();
            int row = shape.Aggregate(1, (a, b) => a * b);
            int[]? lengths = null;
            if (m.Kind is ModalityKind.Sequence or ModalityKind.Tokens)
            {
                lengths = Enumerable.Range(0, batchSize).Select(_ => 1 + random.NextInt(shape[0])).ToArray();
            }

            if (m.Kind == ModalityKind.Tokens)
            {
                var ids = Enumerable.Range(0, batchSize * row).Select(_ => (long)random.NextInt(m.Vocab!.Value)).ToArray();
                columns.Add(DataColumn.FromLongs(m.Name, ids, shape, lengths));
            }
            else
            {
                var values = new float[batchSize * row];
                random.FillNormal(values);
                columns.Add(DataColumn.FromFloats(m.Name, values, shape, lengths));
            }
        }

        foreach (var head in spec.Heads.Where(h => h.Target is not null).GroupBy(h => h.Target).Select(g => g.First()))
        {
            switch (head.Type)
            {
                case HeadType.Classifier:
                    var classes = Enumerable.Range(0, batchSize).Select(_ => (long)random.NextInt(head.Size)).ToArray();
                    columns.Add(DataColumn.FromLongs(head.Target!, classes, []));
                    break;
                case HeadType.Multilabel:
                    var labels = Enumerable.Range(0, batchSize * head.Size).Select(_ => random.Bernoulli(0.5) ? 1f : 0f).ToArray();
                    columns.Add(DataColumn.FromFloats(head.Target!, labels, [head.Size]));
                    break;
                default:
                    var values = new float[batchSize * head.Size];
                    random.FillNormal(values);
                    columns.Add(DataColumn.FromFloats(head.Target!, values, [head.Size]));
                    break;
            }
        }

        return new DataLoader(new Dataset(columns), batchSize);
    }
}
