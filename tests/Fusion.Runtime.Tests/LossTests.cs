using Fusion.Runtime.Losses;

namespace Fusion.Runtime.Tests;

/// <summary>Loss values against closed forms worked out by hand.</summary>
public class LossTests
{
    private static double LogSumExp(params double[] x)
    {
        double max = x.Max();
        return max + Math.Log(x.Sum(v => Math.Exp(v - max)));
    }

    // ---- Cross-entropy ----

    [Fact]
    public void CrossEntropyOfKnownRow()
    {
        var loss = Loss.CrossEntropy(Tensor.FromArray([1f, 2f, 3f], 1, 3), LongTensor.FromArray([2L], 1));
        Assert.Equal(Math.Log(Math.E + Math.Exp(2) + Math.Exp(3)) - 3, loss.Item(), 5);
    }

    [Fact]
    public void CrossEntropyWithLabelSmoothingByHand()
    {
        // (1 - eps) (lse - x_y) + eps * mean_c (lse - x_c) with lse = log(e + e^2 + e^3), x = [1, 2, 3], y = 0.
        double lse = LogSumExp(1, 2, 3), eps = 0.2;
        double expected = (1 - eps) * (lse - 1) + eps * (lse - 2);
        var loss = Loss.CrossEntropy(Tensor.FromArray([1f, 2f, 3f], 1, 3), LongTensor.FromArray([0L], 1), labelSmoothing: 0.2f);
        Assert.Equal(expected, loss.Item(), 5);
    }

    [Fact]
    public void CrossEntropyReductions()
    {
        var logits = Tensor.FromArray([1f, 2f, 3f, 0f, 0f, 0f], 2, 3);
        var targets = LongTensor.FromArray([2L, 1L], 2);
        double l0 = LogSumExp(1, 2, 3) - 3, l1 = Math.Log(3);
        var none = Loss.CrossEntropy(logits, targets, reduction: Reduction.None).ToArray();
        Assert.Equal(2, none.Length);
        Assert.Equal(l0, none[0], 5);
        Assert.Equal(l1, none[1], 5);
        Assert.Equal((l0 + l1) / 2, Loss.CrossEntropy(logits, targets).Item(), 5);
        Assert.Equal(l0 + l1, Loss.CrossEntropy(logits, targets, reduction: Reduction.Sum).Item(), 5);
    }

    [Fact]
    public void CrossEntropyGradientIsSoftmaxMinusSmoothedOneHotOverBatch()
    {
        var logits = Tensor.FromArray([1f, 2f, 3f, 0.5f, -1f, 0f], 2, 3).SetRequiresGrad();
        Loss.CrossEntropy(logits, LongTensor.FromArray([2L, 0L], 2), labelSmoothing: 0.3f).Backward();
        var grad = logits.Grad!.ToArray();
        double[][] rows = [[1, 2, 3], [0.5, -1, 0]];
        int[] targets = [2, 0];
        for (int i = 0; i < 2; i++)
        {
            double lse = LogSumExp(rows[i]);
            for (int c = 0; c < 3; c++)
            {
                double q = 0.3 / 3 + (c == targets[i] ? 0.7 : 0);
                Assert.Equal((Math.Exp(rows[i][c] - lse) - q) / 2, grad[i * 3 + c], 5);
            }
        }
    }

    [Fact]
    public void CrossEntropyIsStableForHugeLogits()
    {
        var loss = Loss.CrossEntropy(Tensor.FromArray([1000f, 0f, -1000f], 1, 3), LongTensor.FromArray([1L], 1));
        Assert.Equal(1000.0, loss.Item(), 3);
    }

    [Fact]
    public void CrossEntropyOfTransposedViewUsesViewOrder()
    {
        var logits = Tensor.FromArray([1f, 0f, 2f, 3f], 2, 2);
        var viaView = Loss.CrossEntropy(logits.T(), LongTensor.FromArray([0L, 1L], 2)).Item();
        var viaCopy = Loss.CrossEntropy(Tensor.FromArray([1f, 2f, 0f, 3f], 2, 2), LongTensor.FromArray([0L, 1L], 2)).Item();
        Assert.Equal(viaCopy, viaView, 6);
    }

    [Fact]
    public void CrossEntropyRejectsBadTargets()
    {
        var logits = Tensor.Zeros(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(logits, LongTensor.FromArray([0L, 3L], 2)));
        Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, LongTensor.FromArray([0L], 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(logits, LongTensor.FromArray([0L, 1L], 2), labelSmoothing: 1.5f));
    }

    // ---- BCE with logits ----

    [Fact]
    public void BceWithLogitsAtKnownPoints()
    {
        var x = Tensor.FromArray([0f, 0f, 2f, -3f, 100f, -100f], 6);
        var y = Tensor.FromArray([1f, 0f, 1f, 0f, 0f, 1f], 6);
        var l = Loss.BceWithLogits(x, y, reduction: Reduction.None).ToArray();
        double[] expected = [Math.Log(2), Math.Log(2), Math.Log(1 + Math.Exp(-2)), Math.Log(1 + Math.Exp(-3)), 100, 100];
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], l[i], 4);
        Assert.Equal(expected.Average(), Loss.BceWithLogits(x, y).Item(), 4);
        Assert.Equal(expected.Sum(), Loss.BceWithLogits(x, y, reduction: Reduction.Sum).Item(), 3);
    }

    [Fact]
    public void BceWithLogitsSoftTargetAndPositiveWeight()
    {
        // -[p y log s(x) + (1 - y) log(1 - s(x))] with x = 0.5, y = 0.25, p = 3 (weights per column).
        double s = 1 / (1 + Math.Exp(-0.5));
        double expected = -(3 * 0.25 * Math.Log(s) + 0.75 * Math.Log(1 - s));
        double unweighted = -(0.25 * Math.Log(s) + 0.75 * Math.Log(1 - s));
        var l = Loss.BceWithLogits(Tensor.Full(0.5f, 2, 2), Tensor.Full(0.25f, 2, 2), Tensor.FromArray([3f, 1f], 2), Reduction.None).ToArray();
        Assert.Equal(expected, l[0], 5);
        Assert.Equal(unweighted, l[1], 5);
        Assert.Equal(expected, l[2], 5);
        Assert.Equal(unweighted, l[3], 5);
    }

    [Fact]
    public void BceWithLogitsGradientIsSigmoidMinusTarget()
    {
        var x = Tensor.FromArray([-2f, 0.5f, 3f], 3).SetRequiresGrad();
        Loss.BceWithLogits(x, Tensor.FromArray([1f, 0f, 0.5f], 3)).Backward();
        var g = x.Grad!.ToArray();
        double[] xs = [-2, 0.5, 3], ys = [1, 0, 0.5];
        for (int i = 0; i < 3; i++) Assert.Equal((1 / (1 + Math.Exp(-xs[i])) - ys[i]) / 3, g[i], 5);
    }

    // ---- Regression losses ----

    [Fact]
    public void MseL1SmoothL1ByHand()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var b = Tensor.FromArray([1.5f, 2f, 0f, 4.2f], 2, 2);
        // differences: -0.5, 0, 3, -0.2
        Assert.Equal((0.25 + 0 + 9 + 0.04) / 4, Loss.Mse(a, b).Item(), 5);
        Assert.Equal(0.25 + 0 + 9 + 0.04, Loss.Mse(a, b, Reduction.Sum).Item(), 4);
        Assert.Equal((0.5 + 0 + 3 + 0.2) / 4, Loss.L1(a, b).Item(), 5);
        // beta = 1: 0.5 d^2 inside, |d| - 0.5 outside.
        Assert.Equal((0.125 + 0 + 2.5 + 0.02) / 4, Loss.SmoothL1(a, b).Item(), 5);
        // beta = 2: 0.5 d^2 / 2 inside, |d| - 1 outside.
        Assert.Equal((0.0625 + 0 + 2 + 0.01) / 4, Loss.SmoothL1(a, b, beta: 2f).Item(), 5);
        // beta = 0 is L1.
        Assert.Equal(Loss.L1(a, b).Item(), Loss.SmoothL1(a, b, beta: 0f).Item(), 6);
        var none = Loss.SmoothL1(a, b, reduction: Reduction.None);
        Assert.Equal(new[] { 2, 2 }, none.Shape.ToArray());
    }

    [Fact]
    public void RegressionLossesRejectShapeMismatch()
    {
        Assert.Throws<ArgumentException>(() => Loss.Mse(Tensor.Zeros(2, 3), Tensor.Zeros(3)));
        Assert.Throws<ArgumentException>(() => Loss.L1(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Throws<ArgumentException>(() => Loss.SmoothL1(Tensor.Zeros(2), Tensor.Zeros(2, 1)));
    }

    // ---- Contrastive ----

    [Fact]
    public void ContrastiveOfOrthogonalEmbeddings()
    {
        // Rows of the identity (scaled: normalisation is inside): logits = s I, each CE = log(e^s + B - 1) - s.
        var za = Tensor.Eye(3) * 2f;
        var zb = Tensor.Eye(3) * 0.5f;
        Assert.Equal(Math.Log(Math.E + 2) - 1, Loss.Contrastive(za, zb, 1f).Item(), 5);
        Assert.Equal(Math.Log(Math.Exp(5) + 2) - 5, Loss.Contrastive(za, zb, 5f).Item(), 5);
    }

    [Fact]
    public void ContrastiveOfIdenticalEmbeddingsIsLogB()
    {
        // Every embedding the same: all logits equal, so each CE is log B whatever the scale.
        var z = Tensor.FromArray([1f, 2f, 1f, 2f, 1f, 2f, 1f, 2f], 4, 2);
        Assert.Equal(Math.Log(4), Loss.Contrastive(z, z, 1f / 0.07f).Item(), 4);
    }

    [Fact]
    public void ContrastiveIsAsymmetricInTheTwoDirectionsByHand()
    {
        // za = [[1,0],[0,1]], zb = [[1,0],[1,1]/sqrt2]; s = 1. logits = [[1, c], [0, c]], c = 1/sqrt2.
        var za = Tensor.FromArray([1f, 0f, 0f, 1f], 2, 2);
        var zb = Tensor.FromArray([1f, 0f, 1f, 1f], 2, 2);
        double c = 1 / Math.Sqrt(2);
        double rows = (LogSumExp(1, c) - 1 + LogSumExp(0, c) - c) / 2;
        double cols = (LogSumExp(1, 0) - 1 + LogSumExp(c, c) - c) / 2;
        Assert.Equal((rows + cols) / 2, Loss.Contrastive(za, zb, 1f).Item(), 5);
    }

    [Fact]
    public void LearnableScaleEqualsFixedScaleAndClamps()
    {
        var rng = new RandomSource(3);
        var za = Tensor.Randn(rng, 5, 4);
        var zb = Tensor.Randn(rng, 5, 4);
        var t = Tensor.FromArray([MathF.Log(2f)], 1).SetRequiresGrad();
        Assert.Equal(Loss.Contrastive(za, zb, 2f).Item(), Loss.Contrastive(za, zb, t).Item(), 5);

        var big = Tensor.Scalar(MathF.Log(1000f)).SetRequiresGrad();
        var clamped = Loss.Contrastive(za, zb, big);
        Assert.Equal(Loss.Contrastive(za, zb, 100f).Item(), clamped.Item(), 4);
        clamped.Backward();
        Assert.Equal(0f, big.Grad!.Item());
        Assert.Equal(20f, Loss.ContrastiveScale(big, maxScale: 20f).Item());
    }

    [Fact]
    public void ContrastiveRejectsMismatchedShapes() =>
        Assert.Throws<ArgumentException>(() => Loss.Contrastive(Tensor.Zeros(3, 4), Tensor.Zeros(3, 5), 1f));

    // ---- CMD ----

    [Fact]
    public void CmdOfKnownSamplesByHand()
    {
        // x columns: [0, 2] (mean 1, central +-1) and [0, 4] (mean 2, central +-2); y constant 1.
        // Mean difference [0, 1] -> 1; c2 = [1, 4] -> sqrt 17; c3 = 0; c4 = [1, 16] -> sqrt 257; c5 = 0.
        var x = Tensor.FromArray([0f, 0f, 2f, 4f], 2, 2);
        var y = Tensor.Ones(3, 2);
        Assert.Equal(1 + Math.Sqrt(17) + Math.Sqrt(257), Loss.Cmd(x, y).Item(), 4);
        Assert.Equal(1 + Math.Sqrt(17), Loss.Cmd(x, y, moments: 2).Item(), 5);
        Assert.Equal(1.0, Loss.Cmd(x, y, moments: 1).Item(), 6);
    }

    [Fact]
    public void CmdOfSkewedSamplesCountsOddMoments()
    {
        // x = [0, 0, 3]: mean 1, central [-1, -1, 2]: c2 = 2, c3 = 2, c4 = 6, c5 = 10. y = [1, 1]: all central moments 0.
        var x = Tensor.FromArray([0f, 0f, 3f], 3, 1);
        var y = Tensor.FromArray([1f, 1f], 2, 1);
        Assert.Equal(0 + 2 + 2 + 6 + 10, Loss.Cmd(x, y).Item(), 4);
    }

    [Fact]
    public void CmdOfIdenticalSamplesIsZeroWithFiniteGradient()
    {
        var x = Tensor.Randn(new RandomSource(1), 6, 3).SetRequiresGrad();
        var loss = Loss.Cmd(x, x.Detach());
        Assert.Equal(0f, loss.Item(), 6);
        loss.Backward();
        Assert.All(x.Grad!.ToArray(), g => Assert.Equal(0f, g));
    }

    // ---- DiffLoss ----

    [Fact]
    public void DiffLossByHand()
    {
        // After centring p rows are (1,0),(-1,0); s rows (1,1),(-1,-1) normalise to +-(1,1)/sqrt2.
        // P^T S = [[sqrt2, sqrt2], [0, 0]] -> mean of squares (2 + 2) / 4 = 1.
        var p = Tensor.FromArray([3f, 5f, 1f, 5f], 2, 2);
        var s = Tensor.FromArray([2f, 2f, 0f, 0f], 2, 2);
        Assert.Equal(1.0, Loss.DiffLoss(p, s).Item(), 5);
    }

    [Fact]
    public void DiffLossMatchesDirectComputation()
    {
        var rng = new RandomSource(8);
        var p = Tensor.Randn(rng, 5, 3);
        var s = Tensor.Randn(rng, 5, 4);
        double[,] Normalised(float[] v, int rows, int cols)
        {
            var r = new double[rows, cols];
            for (int j = 0; j < cols; j++)
            {
                double mean = 0;
                for (int i = 0; i < rows; i++) mean += v[i * cols + j];
                mean /= rows;
                for (int i = 0; i < rows; i++) r[i, j] = v[i * cols + j] - mean;
            }
            for (int i = 0; i < rows; i++)
            {
                double n = 0;
                for (int j = 0; j < cols; j++) n += r[i, j] * r[i, j];
                n = Math.Sqrt(n);
                for (int j = 0; j < cols; j++) r[i, j] /= n;
            }
            return r;
        }
        var pn = Normalised(p.ToArray(), 5, 3);
        var sn = Normalised(s.ToArray(), 5, 4);
        double total = 0;
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 4; b++)
            {
                double dot = 0;
                for (int i = 0; i < 5; i++) dot += pn[i, a] * sn[i, b];
                total += dot * dot;
            }
        Assert.Equal(total / 12, Loss.DiffLoss(p, s).Item(), 5);
    }

    [Fact]
    public void DiffLossFlattensTrailingDimensions()
    {
        var rng = new RandomSource(2);
        var p = Tensor.Randn(rng, 4, 2, 3);
        var s = Tensor.Randn(rng, 4, 5);
        Assert.Equal(Loss.DiffLoss(p.Reshape(4, 6), s).Item(), Loss.DiffLoss(p, s).Item(), 6);
    }

    // ---- DCCA ----

    [Fact]
    public void DccaOfPerfectlyCorrelatedViewsIsNearTheDimension()
    {
        var rng = new RandomSource(11);
        var h1 = Tensor.Randn(rng, 400, 3);
        var mix = Tensor.FromArray([2f, 0.5f, 0f, -1f, 1f, 0.3f, 0.2f, 0f, 1.5f], 3, 3);
        var h2 = Tensor.MatMul(h1, mix) + 4f;
        float loss = Loss.Dcca(h1, h2).Item();
        Assert.InRange(-loss, 2.98f, 3.0f);
        Assert.InRange(-Loss.Dcca(h1, h2, topK: 1).Item(), 0.99f, 1.0f);
    }

    [Fact]
    public void DccaOfIndependentViewsIsSmall()
    {
        var rng = new RandomSource(12);
        var h1 = Tensor.Randn(rng, 2000, 2);
        var h2 = Tensor.Randn(rng, 2000, 2);
        Assert.InRange(-Loss.Dcca(h1, h2).Item(), 0f, 0.15f);
    }

    [Fact]
    public void DccaOfOneSharedDirection()
    {
        // View 2 = (first column of view 1, fresh noise): one canonical correlation near 1, one near 0.
        var rng = new RandomSource(13);
        var h1 = Tensor.Randn(rng, 2000, 2);
        var noise = Tensor.Randn(rng, 2000, 1);
        var h2 = Tensor.Concat(1, h1.Slice(1, 0, 1), noise);
        Assert.InRange(-Loss.Dcca(h1, h2).Item(), 0.99f, 1.1f);
    }

    [Fact]
    public void DccaRejectsTooFewSamplesAndBadTopK()
    {
        Assert.Throws<ArgumentException>(() => Loss.Dcca(Tensor.Ones(1, 2), Tensor.Ones(1, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.Dcca(Tensor.Randn(new RandomSource(1), 5, 2), Tensor.Randn(new RandomSource(2), 5, 3), topK: 3));
    }

    // ---- Sinkhorn ----

    private static Tensor WellSeparatedPoints() =>
        Tensor.FromArray([0f, 0f, 1f, 0f, 0f, 1f, 1f, 1f, 0.5f, 2f], 5, 2);

    [Fact]
    public void SinkhornOfIdenticalSetsIsSmall()
    {
        var x = WellSeparatedPoints();
        Assert.InRange(Loss.Sinkhorn(x, x, eps: 0.02f, iterations: 100).Item(), 0f, 1e-3f);
        Assert.InRange(Loss.Sinkhorn(x, x, eps: 0.02f, iterations: 100, logDomain: true).Item(), 0f, 1e-3f);
    }

    [Fact]
    public void SinkhornOfShiftedSetsIsTheSquaredShift()
    {
        // For uniform marginals the optimal plan between x and x + delta is the identity; cost |delta|^2.
        var x = WellSeparatedPoints();
        var delta = Tensor.FromArray([0.3f, -0.4f], 2);
        foreach (var logDomain in new[] { false, true })
        {
            float loss = Loss.Sinkhorn(x, x + delta, eps: 0.02f, iterations: 200, logDomain: logDomain).Item();
            Assert.Equal(0.25f, loss, 2);
        }
    }

    [Fact]
    public void SinkhornBatchAveragesAndAgreesAcrossDomains()
    {
        var rng = new RandomSource(21);
        var x = Tensor.Randn(rng, 3, 4, 2);
        var y = Tensor.Randn(rng, 3, 6, 2);
        float batched = Loss.Sinkhorn(x, y, eps: 0.5f, iterations: 30).Item();
        float sum = 0;
        for (int b = 0; b < 3; b++) sum += Loss.Sinkhorn(x.Select(0, b), y.Select(0, b), eps: 0.5f, iterations: 30).Item();
        Assert.Equal(sum / 3, batched, 4);
        Assert.Equal(batched, Loss.Sinkhorn(x, y, eps: 0.5f, iterations: 30, logDomain: true).Item(), 4);
    }

    [Fact]
    public void SinkhornSingleIterationByHand()
    {
        // One point each side: the plan is the single mass 1, the loss the squared distance.
        var x = Tensor.FromArray([1f, 2f], 1, 2);
        var y = Tensor.FromArray([4f, 6f], 1, 2);
        Assert.Equal(25f, Loss.Sinkhorn(x, y, eps: 1f, iterations: 1).Item(), 3);
    }

    [Fact]
    public void SinkhornSmallEpsNeedsTheLogDomain()
    {
        // y1 lies far from every x: its column of K underflows in float32, so the plain form
        // throws; the log domain finds the plan x0 -> y0, x1 -> y1 with cost (0 + 9.9^2) / 2.
        var x = Tensor.FromArray([0f, 0.1f], 2, 1);
        var y = Tensor.FromArray([0f, 10f], 2, 1);
        Assert.Throws<ArithmeticException>(() => Loss.Sinkhorn(x, y, eps: 0.01f, iterations: 50));
        // float32 potentials of size C/eps ~ 1e4 leave about 1e-3 relative error in the plan.
        Assert.InRange(Loss.Sinkhorn(x, y, eps: 0.01f, iterations: 50, logDomain: true).Item(), 49.005f * (1 - 1e-3f), 49.005f * (1 + 1e-3f));
    }
}
