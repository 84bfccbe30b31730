using Fusion.Runtime.Metrics;

namespace Fusion.Runtime.Tests;

/// <summary>Metrics against values computed by hand.</summary>
public sealed class MetricsTests
{
    [Fact]
    public void AccuracyCountsMatches()
    {
        Assert.Equal(0.6, ClassificationMetrics.Accuracy([0, 1, 2, 1, 0], [0, 1, 1, 1, 2]), 12);
    }

    [Fact]
    public void MacroF1AveragesPerClassF1()
    {
        // truth 0 0 1 1 2 2, predicted 0 1 1 1 2 0
        // class 0: TP 1, FP 1, FN 1 -> 2/4 = 0.5; class 1: TP 2, FP 1, FN 0 -> 4/5 = 0.8; class 2: TP 1, FP 0, FN 1 -> 2/3
        double expected = (0.5 + 0.8 + 2.0 / 3) / 3;
        Assert.Equal(expected, ClassificationMetrics.MacroF1([0, 1, 1, 1, 2, 0], [0, 0, 1, 1, 2, 2], 3), 12);
    }

    [Fact]
    public void MacroF1LeavesOutAClassAbsentFromTruthAndPredictions()
    {
        // 4 classes declared, class 3 never occurs: the mean runs over classes 0..2 (as scikit-learn).
        // truth 0 0 1 2, predicted 0 1 1 2: class 0 2/3, class 1 2/3, class 2 1
        double expected = (2.0 / 3 + 2.0 / 3 + 1.0) / 3;
        Assert.Equal(expected, ClassificationMetrics.MacroF1([0, 1, 1, 2], [0, 0, 1, 2], 4), 12);
    }

    [Fact]
    public void MacroF1CountsAClassPredictedButNeverTrueAsZero()
    {
        // truth 0 0 1 1, predicted 0 0 1 2: class 0 1, class 1 TP 1 FN 1 -> 2/3, class 2 (never true) 0
        double expected = (1.0 + 2.0 / 3 + 0.0) / 3;
        Assert.Equal(expected, ClassificationMetrics.MacroF1([0, 0, 1, 2], [0, 0, 1, 1], 3), 12);
    }

    [Fact]
    public void PredictTakesTheArgMaxOfEachRow()
    {
        var logits = Tensor.FromArray(new float[] { 0.1f, 2f, -1f, 3f, 0f, 0f }, 2, 3);
        Assert.Equal([1L, 0L], ClassificationMetrics.Predict(logits));
    }

    [Fact]
    public void MeanAbsoluteError()
    {
        Assert.Equal((1 + 0.5 + 2) / 3.0, RegressionMetrics.MeanAbsoluteError([1f, 2f, 3f], [0f, 2.5f, 5f]), 6);
    }

    [Fact]
    public void PearsonOfPerfectlyCorrelatedAndAnticorrelatedPairs()
    {
        float[] x = [1f, 2f, 3f, 4f, 5f];
        Assert.Equal(1.0, RegressionMetrics.Pearson(x, [3f, 5f, 7f, 9f, 11f]), 12);
        Assert.Equal(-1.0, RegressionMetrics.Pearson(x, [10f, 8f, 6f, 4f, 2f]), 12);
    }

    [Fact]
    public void PearsonOfAHandComputedPair()
    {
        // x = 1 2 3, y = 1 3 2: centred x -1 0 1, y -1 1 0 -> cov 1, var 2 and 2 -> r = 0.5
        Assert.Equal(0.5, RegressionMetrics.Pearson([1f, 2f, 3f], [1f, 3f, 2f]), 12);
        Assert.True(double.IsNaN(RegressionMetrics.Pearson([1f, 1f, 1f], [1f, 2f, 3f])));
    }

    [Fact]
    public void RecallAtKOnAHandMadeSimilarityCase()
    {
        // Unit vectors at angles; queries q_i, candidates c_i.
        // q0 = e0: cos to c0 = 1 -> rank 1.
        // q1 = e1: c1 = (1, 1)/sqrt2 (0.707), c2 = e1 (1.0) ranks first -> match at rank 2.
        // q2 = e0: c0 = e0 (1.0), c1 (0.707), c2 = e1 (0) -> match at rank 3.
        var queries = Tensor.FromArray(new float[] { 1, 0, 0, 1, 2, 0 }, 3, 2);   // scale does not matter
        var candidates = Tensor.FromArray(new float[] { 1, 0, 1, 1, 0, 3 }, 3, 2);
        Assert.Equal(1.0 / 3, RetrievalMetrics.RecallAtK(queries, candidates, 1), 12);
        Assert.Equal(2.0 / 3, RetrievalMetrics.RecallAtK(queries, candidates, 2), 12);
        Assert.Equal(1.0, RetrievalMetrics.RecallAtK(queries, candidates, 3), 12);
    }

    [Fact]
    public void RecallCountsTiesAgainstTheMatch()
    {
        var same = Tensor.FromArray(new float[] { 1, 0, 1, 0, 1, 0 }, 3, 2);
        Assert.Equal(0.0, RetrievalMetrics.RecallAtK(same, same, 1), 12);
        Assert.Equal(1.0, RetrievalMetrics.RecallAtK(same, same, 3), 12);
    }

    [Fact]
    public void MultilabelPerLabelAccuracyAndF1()
    {
        // 4 samples, 2 labels; logits > 0 predict 1.
        float[] logits = [1, -1, 1, 1, -1, 1, -1, -1];
        float[] targets = [1, 0, 0, 1, 0, 1, 1, 0];
        // label 0: predicted 1 1 0 0, truth 1 0 0 1 -> accuracy 2/4; TP 1 FP 1 FN 1 -> F1 0.5
        // label 1: predicted 0 1 1 0, truth 0 1 1 0 -> accuracy 1; F1 1
        Assert.Equal([0.5, 1.0], MultilabelMetrics.PerLabelAccuracy(logits, targets, 2));
        Assert.Equal([0.5, 1.0], MultilabelMetrics.PerLabelF1(logits, targets, 2));
    }

    [Fact]
    public void MetricSetForAClassifierAccumulatesBatches()
    {
        var set = MetricSet.For(HeadKind.Classifier);
        set.Add(Tensor.FromArray(new float[] { 2, 0, 0, 0, 2, 0 }, 2, 3), LongTensor.FromArray(new long[] { 0, 0 }));
        set.Add(Tensor.FromArray(new float[] { 0, 2, 0, 0, 0, 2 }, 2, 3), LongTensor.FromArray(new long[] { 1, 2 }));
        var values = set.Compute();
        Assert.Equal(0.75, values["accuracy"], 12);
        // predicted 0 1 1 2 vs truth 0 0 1 2: class 0 2/3, class 1 2/3, class 2 1
        Assert.Equal((2.0 / 3 + 2.0 / 3 + 1) / 3, values["macro_f1"], 12);
        Assert.Equal(4, set.Count);
        set.Reset();
        Assert.Throws<InvalidOperationException>(() => set.Compute());
    }

    [Fact]
    public void MetricSetForARegressorReportsMaeAndPearson()
    {
        var set = MetricSet.For(HeadKind.Regressor);
        set.Add(Tensor.FromArray(new float[] { 1, 2, 3 }, 3, 1), Tensor.FromArray(new float[] { 2, 4, 6 }, 3, 1));
        var values = set.Compute();
        Assert.Equal(2.0, values["mae"], 6);
        Assert.Equal(1.0, values["pearson"], 6);
        Assert.Throws<InvalidOperationException>(() => set.Add(Tensor.Zeros(3, 1), LongTensor.Zeros(3)));
    }

    [Fact]
    public void MetricSetForMultilabelAndEmbeddingHeads()
    {
        var multilabel = MetricSet.For(HeadKind.Multilabel);
        multilabel.Add(Tensor.FromArray(new float[] { 1, -1, 1, 1, -1, 1, -1, -1 }, 4, 2), Tensor.FromArray(new float[] { 1, 0, 0, 1, 0, 1, 1, 0 }, 4, 2));
        var m = multilabel.Compute();
        Assert.Equal(0.75, m["accuracy"], 12);
        Assert.Equal(0.75, m["f1"], 12);
        Assert.Equal(0.5, m["accuracy_0"], 12);
        Assert.Equal(1.0, m["f1_1"], 12);

        var retrieval = MetricSet.For(HeadKind.Embedding);
        retrieval.Add(Tensor.FromArray(new float[] { 1, 0, 0, 1, 2, 0 }, 3, 2), Tensor.FromArray(new float[] { 1, 0, 1, 1, 0, 3 }, 3, 2));
        var r = retrieval.Compute();
        Assert.Equal(1.0 / 3, r["recall@1"], 12);
        Assert.Equal(1.0, r["recall@5"], 12);
        Assert.Equal(1.0, r["recall@10"], 12);
        Assert.Throws<InvalidOperationException>(() => retrieval.Add(Tensor.Zeros(3, 2), LongTensor.Zeros(3)));
    }
}
