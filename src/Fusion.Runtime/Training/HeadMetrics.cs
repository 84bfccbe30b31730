using Fusion.Runtime.Data;
using Fusion.Runtime.Metrics;
using Fusion.Runtime.Models;

namespace Fusion.Runtime.Training;

/// <summary>
/// The metric sets of a model's scored heads (classifier, regressor, multilabel: every head with
/// a target), chosen from the head kinds by <see cref="MetricSet.For"/>. Embedding heads have no
/// target: they are scored in pairs by <see cref="RetrievalPairMetrics"/>. Names: with one scored head the metric names
/// alone (<c>accuracy</c>, <c>macro_f1</c>, <c>mae</c>, <c>pearson</c>, ...), with several
/// <c>&lt;head&gt;_&lt;metric&gt;</c>.
/// </summary>
internal sealed class HeadMetrics
{
    private readonly List<(HeadDescriptor Head, bool ClassIndex, MetricSet Set)> heads = [];

    public HeadMetrics(ModelDescriptor descriptor)
    {
        foreach (var head in descriptor.Heads)
        {
            if (head.Target is null || head.Kind == Models.HeadKind.Embedding) continue;
            var target = descriptor.Targets.FirstOrDefault(t => t.Name == head.Target);
            bool classIndex = target is not null ? target.DataType == DataType.Int64 : head.Kind == Models.HeadKind.Classifier;
            heads.Add((head, classIndex, MetricSet.For(ToMetricKind(head.Kind))));
        }
    }

    public bool Any => heads.Count > 0;

    public void Add(FusionOutputs outputs, DataBatch batch)
    {
        foreach (var (head, classIndex, set) in heads)
        {
            var output = outputs.Heads[head.Name];
            if (classIndex) set.Add(output, batch.Long(head.Target!));
            else set.Add(output, batch.Float(head.Target!));
        }
    }

    public void AddTo(IDictionary<string, double> metrics)
    {
        foreach (var (head, _, set) in heads)
        {
            if (set.Count == 0) continue;
            foreach (var (name, value) in set.Compute())
            {
                metrics[heads.Count == 1 ? name : head.Name + "_" + name] = value;
            }
        }
    }

    private static Metrics.HeadKind ToMetricKind(Models.HeadKind kind) => kind switch
    {
        Models.HeadKind.Classifier => Metrics.HeadKind.Classifier,
        Models.HeadKind.Regressor => Metrics.HeadKind.Regressor,
        Models.HeadKind.Multilabel => Metrics.HeadKind.Multilabel,
        Models.HeadKind.Embedding => Metrics.HeadKind.Embedding,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
