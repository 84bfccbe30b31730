using Fusion.Runtime.Metrics;
using Fusion.Runtime.Models;

namespace Fusion.Runtime.Training;

/// <summary>
/// Recall@k of the model's retrieval pairs (<see cref="ModelDescriptor.RetrievalPairs"/>): both
/// heads' outputs are kept over the whole evaluated split (recall ranks against the full gallery,
/// not one batch), then each head retrieves the other by cosine similarity
/// (<see cref="MetricSet.For"/> of an embedding head, through <see cref="RetrievalMetrics.RecallAtK(Tensor, Tensor, IReadOnlyList{int})"/>).
/// Names, both directions of pair (a, b): <c>&lt;a&gt;_to_&lt;b&gt;_recall@1</c>, <c>@5</c>, <c>@10</c>
/// (a's output as the query, b's as the gallery), then <c>&lt;b&gt;_to_&lt;a&gt;_recall@1</c>, ....
/// </summary>
internal sealed class RetrievalPairMetrics
{
    private readonly List<(string Name, string Query, string Target, MetricSet Set)> directions = [];

    public RetrievalPairMetrics(ModelDescriptor descriptor)
    {
        foreach (var pair in descriptor.RetrievalPairs)
        {
            var query = EmbeddingHead(descriptor, pair.Query);
            var target = EmbeddingHead(descriptor, pair.Target);
            if (query.Width != target.Width)
                throw new TrainingException($"the retrieval pair '{pair.Query}', '{pair.Target}' has widths {query.Width} and {target.Width}; recall@k needs one width");
            directions.Add(($"{pair.Query}_to_{pair.Target}_", pair.Query, pair.Target, MetricSet.For(Metrics.HeadKind.Embedding)));
            directions.Add(($"{pair.Target}_to_{pair.Query}_", pair.Target, pair.Query, MetricSet.For(Metrics.HeadKind.Embedding)));
        }
    }

    public void Add(FusionOutputs outputs)
    {
        foreach (var (_, query, target, set) in directions)
        {
            set.Add(outputs.Heads[query], outputs.Heads[target]);
        }
    }

    public void AddTo(IDictionary<string, double> metrics)
    {
        foreach (var (prefix, _, _, set) in directions)
        {
            if (set.Count == 0) continue;
            foreach (var (name, value) in set.Compute())
            {
                metrics[prefix + name] = value;
            }
        }
    }

    private static HeadDescriptor EmbeddingHead(ModelDescriptor descriptor, string name)
    {
        var head = descriptor.Heads.FirstOrDefault(h => h.Name == name)
            ?? throw new TrainingException($"the retrieval pair names head '{name}', which the model does not have");
        if (head.Kind != Models.HeadKind.Embedding)
            throw new TrainingException($"the retrieval pair names head '{name}', a {head.Kind.ToString().ToLowerInvariant()}, not an embedding head");
        return head;
    }
}
