using Fusion.Runtime.Models;
using Fusion.Runtime.Training;

namespace Fusion.Runtime.Tests;

/// <summary>
/// Evaluation reports recall@1/5/10 of each retrieval pair both ways, named
/// <c>&lt;a&gt;_to_&lt;b&gt;_recall@k</c>, ranked over the whole evaluated data, not batch by batch.
/// </summary>
public sealed class TrainingRetrievalPairTests
{
    private const int Samples = 40;
    private const int BatchSize = 8;

    private static readonly string[] RecallNames =
    [
        "left_to_right_recall@1", "left_to_right_recall@5", "left_to_right_recall@10",
        "right_to_left_recall@1", "right_to_left_recall@5", "right_to_left_recall@10",
    ];

    [Fact]
    public void Identical_heads_retrieve_every_match_first()
    {
        var x = Random(Samples);
        var metrics = Evaluate(x, x);

        Assert.Equal(["loss", "gap", .. RecallNames], metrics.Keys);
        foreach (var name in RecallNames) Assert.Equal(1.0, metrics[name]);
    }

    [Fact]
    public void Shuffled_pairing_retrieves_no_match_first()
    {
        // y_i = x_(i+1): every query's most similar candidate is another sample's.
        var x = Random(Samples);
        var y = new float[x.Length];
        for (int i = 0; i < Samples; i++) Array.Copy(x, (i + 1) % Samples * RetrievalTestModel.Width, y, i * RetrievalTestModel.Width, RetrievalTestModel.Width);
        var metrics = Evaluate(x, y);

        Assert.Equal(0.0, metrics["left_to_right_recall@1"]);
        Assert.Equal(0.0, metrics["right_to_left_recall@1"]);
        Assert.True(metrics["left_to_right_recall@10"] < 0.75, $"recall@10 {metrics["left_to_right_recall@10"]} of a shuffled pairing");
        foreach (var name in RecallNames) Assert.InRange(metrics[name], 0.0, 1.0);
    }

    [Fact]
    public void Recall_ranks_against_the_whole_data_not_one_batch()
    {
        // Sample i is vector i mod 8: each batch of 8 holds distinct vectors (recall@1 would be 1
        // per batch), but over all 40 samples each match ties with 4 copies, which rank before it.
        var distinct = Random(BatchSize);
        var x = new float[Samples * RetrievalTestModel.Width];
        for (int i = 0; i < Samples; i++) Array.Copy(distinct, i % BatchSize * RetrievalTestModel.Width, x, i * RetrievalTestModel.Width, RetrievalTestModel.Width);
        var metrics = Evaluate(x, x);

        Assert.Equal(0.0, metrics["left_to_right_recall@1"]);
        Assert.Equal(1.0, metrics["left_to_right_recall@5"]);
        Assert.Equal(0.0, metrics["right_to_left_recall@1"]);
    }

    [Fact]
    public void A_model_without_pairs_reports_no_recall()
    {
        var x = Random(Samples);
        var metrics = Evaluator.Evaluate(new RetrievalTestModel([]), RetrievalTestModel.Data(x, x), BatchSize).Metrics;
        Assert.Equal(["loss", "gap"], metrics.Keys);
    }

    [Fact]
    public void A_pair_with_a_head_that_is_not_an_embedding_is_refused()
    {
        var x = Random(Samples);
        var model = new RetrievalTestModel(rightKind: HeadKind.Regressor);
        var error = Assert.Throws<TrainingException>(() => Evaluator.Evaluate(model, RetrievalTestModel.Data(x, x), BatchSize));
        Assert.Contains("'right'", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, double> Evaluate(float[] x, float[] y) =>
        Evaluator.Evaluate(new RetrievalTestModel(), RetrievalTestModel.Data(x, y), BatchSize).Metrics;

    private static float[] Random(int samples)
    {
        var random = new Random(11);
        var values = new float[samples * RetrievalTestModel.Width];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
