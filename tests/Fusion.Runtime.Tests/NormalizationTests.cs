namespace Fusion.Runtime.Tests;

/// <summary>LayerNorm, BatchNorm, L2 normalisation, dropout and embedding: gradients and closed forms.</summary>
public class NormalizationTests
{
    private static Tensor Vec(ulong seed, int n) => Tensor.Uniform(new RandomSource(seed), 0.5f, 1.5f, n);

    // Finite-difference gradient checks.
    [Fact] public void LayerNormGradient() => GradientChecker.Check(x => x[0].LayerNorm(x[1], x[2]), [GradientChecker.Inputs(3, [4, 5])[0], Vec(1, 5), Vec(2, 5)]);
    [Fact] public void LayerNormGradientNoAffine() => GradientChecker.Check(x => x[0].LayerNorm(), [2, 3, 7]);
    [Fact] public void LayerNormGradientLongRow() => GradientChecker.Check(x => x[0].LayerNorm(x[1], x[2]), [GradientChecker.Inputs(4, [3, 37])[0], Vec(1, 37), Vec(2, 37)]);
    [Fact] public void BatchNormTrainingGradient() => GradientChecker.Check(x => x[0].BatchNorm(null, null, x[1], x[2], training: true), [GradientChecker.Inputs(5, [6, 4])[0], Vec(1, 4), Vec(2, 4)]);
    [Fact] public void BatchNormTrainingGradient3D() => GradientChecker.Check(x => x[0].BatchNorm(null, null, x[1], x[2], training: true), [GradientChecker.Inputs(6, [3, 2, 5])[0], Vec(1, 2), Vec(2, 2)]);
    [Fact]
    public void BatchNormEvalGradient()
    {
        var rm = Tensor.FromArray([0.1f, -0.2f, 0.3f]);
        var rv = Tensor.FromArray([0.5f, 2f, 1.5f]);
        GradientChecker.Check(x => x[0].BatchNorm(rm, rv, x[1], x[2], training: false), [GradientChecker.Inputs(7, [4, 3])[0], Vec(1, 3), Vec(2, 3)]);
    }
    [Fact] public void L2NormalizeLastAxisGradient() => GradientChecker.Check(x => x[0].L2Normalize(-1), [3, 5]);
    [Fact] public void L2NormalizeMiddleAxisGradient() => GradientChecker.Check(x => x[0].L2Normalize(1), [2, 3, 4]);
    [Fact] public void DropoutGradient() => GradientChecker.Check(x => x[0].Dropout(0.4f, training: true, new RandomSource(9)), [4, 6]);
    [Fact]
    public void EmbeddingGradientScatterAddsAndSkipsPadding()
    {
        var idx = LongTensor.FromArray([1, 3, 1, 0, 3, 3], 2, 3);
        GradientChecker.Check(x => Tensor.Embedding(idx, x[0]), [5, 4]);
        var w = Tensor.Randn(new RandomSource(1), 5, 4).SetRequiresGrad();
        Tensor.Embedding(idx, w, paddingIndex: 3).Sum().Backward();
        var g = w.Grad!;
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(1f, g[0, j]);
            Assert.Equal(2f, g[1, j]);
            Assert.Equal(0f, g[2, j]);
            Assert.Equal(0f, g[3, j]); // padding row: no gradient although picked three times
        }
    }

    // Closed forms.
    [Fact]
    public void LayerNormRowsHaveMeanZeroVarianceOneThenAffine()
    {
        var x = Tensor.Randn(new RandomSource(2), 5, 33) * 3f + 7f;
        var y = x.LayerNorm();
        var mean = y.Mean(-1).ToArray();
        var variance = y.Var(-1, unbiased: false).ToArray();
        for (int r = 0; r < 5; r++)
        {
            Assert.Equal(0f, mean[r], 1e-5f);
            Assert.Equal(1f, variance[r], 1e-3f); // var / (var + 1e-5)
        }
        var w = Vec(3, 33);
        var b = Vec(4, 33);
        var z = x.LayerNorm(w, b);
        var expected = (y * w + b).ToArray();
        Assert.Equal(expected, z.ToArray(), (p, q) => MathF.Abs(p - q) < 1e-5f);
    }

    [Fact]
    public void LayerNormUsesEpsOneEMinus5()
    {
        // Row (1, -1): mean 0, biased variance 1 -> y = x / sqrt(1 + 1e-5).
        var y = Tensor.FromArray([1f, -1f], 1, 2).LayerNorm();
        Assert.Equal(1.0 / Math.Sqrt(1 + 1e-5), y[0, 0], 1e-7);
    }

    [Fact]
    public void BatchNormTrainingUsesBatchStatsAndUpdatesRunningStats()
    {
        // Channel 0: 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3); channel 1: all 5.
        var x = Tensor.FromArray([1f, 5f, 2f, 5f, 3f, 5f, 6f, 5f], 4, 2);
        var rm = Tensor.Zeros(2);
        var rv = Tensor.Ones(2);
        var y = x.BatchNorm(rm, rv, null, null, training: true);
        Assert.Equal((1 - 3) / Math.Sqrt(3.5 + 1e-5), y[0, 0], 1e-6);
        Assert.Equal((6 - 3) / Math.Sqrt(3.5 + 1e-5), y[3, 0], 1e-6);
        Assert.Equal(0f, y[2, 1]);
        Assert.Equal(0.1f * 3f, rm[0], 1e-6f);
        Assert.Equal(0.1f * 5f, rm[1], 1e-6f);
        Assert.Equal(0.9f + 0.1f * 14f / 3f, rv[0], 1e-6f);
        Assert.Equal(0.9f, rv[1], 1e-6f);

        // Evaluation normalises with the running statistics and leaves them alone.
        var e = x.BatchNorm(rm, rv, null, null, training: false);
        Assert.Equal((1 - 0.3) / Math.Sqrt(0.9 + 1.4 / 3 + 1e-5), e[0, 0], 1e-5);
        Assert.Equal(0.3f, rm[0], 1e-6f);
    }

    [Fact]
    public void BatchNormTrainingRefusesOneValuePerChannel() =>
        Assert.Throws<ArgumentException>(() => Tensor.Ones(1, 3).BatchNorm(null, null, null, null, training: true));

    [Fact]
    public void L2NormalizeGivesUnitRowsAndKeepsZeroRows()
    {
        var x = Tensor.FromArray([3f, 4f, 0f, 0f], 2, 2);
        var y = x.L2Normalize(1);
        Assert.Equal([0.6f, 0.8f, 0f, 0f], y.ToArray());
        var col = Tensor.FromArray([3f, 0f, 4f, 0f], 2, 2).L2Normalize(0);
        Assert.Equal([0.6f, 0f, 0.8f, 0f], col.ToArray());
    }

    [Fact]
    public void DropoutScalesSurvivorsAndIsIdentityInEvalOrAtZero()
    {
        var x = Tensor.Ones(100, 100);
        var y = x.Dropout(0.25f, training: true, new RandomSource(3)).ToArray();
        int kept = y.Count(v => v != 0f);
        Assert.All(y, v => Assert.True(v == 0f || MathF.Abs(v - 1f / 0.75f) < 1e-6f));
        Assert.InRange(kept, 7300, 7700); // 7500 expected, sd ~43
        Assert.Same(x, x.Dropout(0.25f, training: false, new RandomSource(3)));
        Assert.Same(x, x.Dropout(0f, training: true, new RandomSource(3)));
        Assert.All(x.Dropout(1f, training: true, new RandomSource(3)).ToArray(), v => Assert.Equal(0f, v));
        // Same seed, same mask.
        Assert.Equal(y, x.Dropout(0.25f, training: true, new RandomSource(3)).ToArray());
    }

    [Fact]
    public void EmbeddingPicksRowsAndChecksBounds()
    {
        var w = Tensor.Arange(0f, 6f).Reshape(3, 2);
        var y = Tensor.Embedding(LongTensor.FromArray([2, 0, 2], 3), w);
        Assert.Equal([3, 2], y.Shape.ToArray());
        Assert.Equal([4f, 5f, 0f, 1f, 4f, 5f], y.ToArray());
        Assert.Throws<IndexOutOfRangeException>(() => Tensor.Embedding(LongTensor.FromArray([3], 1), w));
        Assert.Throws<IndexOutOfRangeException>(() => Tensor.Embedding(LongTensor.FromArray([-1], 1), w));
    }
}
