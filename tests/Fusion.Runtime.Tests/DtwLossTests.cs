using System.Text.Json;
using Fusion.Runtime.Losses;

namespace Fusion.Runtime.Tests;

/// <summary>
/// <see cref="Loss.Dtw"/>: closed forms worked out by hand, hard DTW against a plain O(nm)
/// dynamic programme, soft-DTW tending to hard DTW, finite-difference gradients, padding
/// invariance and a plain PyTorch soft-DTW recursion (autograd) where torch is present.
/// </summary>
public class DtwLossTests
{
    private static Tensor Column(params float[] values) => Tensor.FromArray(values, values.Length, 1);

    // ---- closed forms ----

    [Fact]
    public void HardDtwOfOneDimensionalSequencesByHand()
    {
        // C = [[0, 4], [1, 1], [4, 0]]; R = [[0, 4], [1, 1], [5, 1]]: the path (1,1) (2,1) (2,2) (3,2) or (2,2) costs 1.
        Assert.Equal(1f, Loss.Dtw(Column(0, 1, 2), Column(0, 2), gamma: 0f).Item(), 6);
        // A sequence against itself repeated: every step matched at cost 0.
        Assert.Equal(0f, Loss.Dtw(Column(1, 2, 3), Column(1, 1, 2, 3, 3), gamma: 0f).Item(), 6);
    }

    [Fact]
    public void SoftDtwOfTwoByTwoByHand()
    {
        // x = y = [0, 1]: C = [[0, 1], [1, 0]], R_22 = C_22 + min_g(C_11, C_11 + C_12, C_11 + C_21) = -g log(1 + 2 e^{-1/g}).
        foreach (float gamma in new[] { 0.25f, 1f, 3f })
        {
            double expected = -gamma * Math.Log(1 + 2 * Math.Exp(-1 / gamma));
            Assert.Equal(expected, Loss.Dtw(Column(0, 1), Column(0, 1), gamma).Item(), 5);
        }

        // One step against two: a single path, no minimum to soften: C_11 + C_12 = 1 + 4.
        Assert.Equal(5f, Loss.Dtw(Column(1), Column(0, 3), gamma: 2f).Item(), 5);
    }

    [Fact]
    public void EuclideanAndCosineCostsByHand()
    {
        var x = Tensor.FromArray([0f, 0f, 3f, 4f], 2, 2);
        var origin = Tensor.FromArray([0f, 0f], 1, 2);
        Assert.Equal(5f, Loss.Dtw(x, origin, 0f, DtwCost.Euclidean).Item(), 5);
        Assert.Equal(25f, Loss.Dtw(x, origin, 0f, DtwCost.SquaredEuclidean).Item(), 4);

        var axes = Tensor.FromArray([1f, 0f, 0f, 1f], 2, 2);
        Assert.Equal(0f, Loss.Dtw(axes, axes, 0f, DtwCost.Cosine).Item(), 6);
        // [e1, e2] against [e2 scaled]: 1 - 0 for e1, then 1 - 1 for e2.
        Assert.Equal(1f, Loss.Dtw(axes, Tensor.FromArray([0f, 2f], 1, 2), 0f, DtwCost.Cosine).Item(), 6);
    }

    // ---- against a plain dynamic programme ----

    [Theory]
    [InlineData(DtwCost.SquaredEuclidean)]
    [InlineData(DtwCost.Euclidean)]
    [InlineData(DtwCost.Cosine)]
    public void HardDtwEqualsAPlainDynamicProgrammeWithLengths(DtwCost cost)
    {
        var rng = new RandomSource(3);
        var x = Tensor.Randn(rng, 3, 6, 4);
        var y = Tensor.Randn(rng, 3, 5, 4);
        long[] lx = [6, 2, 4], ly = [5, 5, 1];

        float loss = Loss.Dtw(x, y, 0f, cost, LongTensor.FromArray(lx, 3), LongTensor.FromArray(ly, 3)).Item();

        double expected = Enumerable.Range(0, 3).Average(b => PlainDtw(Rows(x, b, (int)lx[b]), Rows(y, b, (int)ly[b]), cost, gamma: 0));
        Assert.Equal(expected, loss, 4);
    }

    [Fact]
    public void SoftDtwEqualsAPlainDynamicProgrammeAndTendsToHardDtw()
    {
        var rng = new RandomSource(5);
        var x = Tensor.Randn(rng, 7, 3);
        var y = Tensor.Randn(rng, 4, 3);
        double hard = PlainDtw(Rows(x, 7), Rows(y, 4), DtwCost.SquaredEuclidean, 0);
        Assert.Equal(hard, Loss.Dtw(x, y, 0f).Item(), 4);

        double previousGap = double.PositiveInfinity;
        foreach (float gamma in new[] { 2f, 1f, 0.3f, 0.1f, 1e-3f })
        {
            float soft = Loss.Dtw(x, y, gamma).Item();
            Assert.Equal(PlainDtw(Rows(x, 7), Rows(y, 4), DtwCost.SquaredEuclidean, gamma), soft, 4);
            double gap = hard - soft;
            // min_g lies in [min - g log 3, min] at every cell, so 0 <= hard - soft <= g log 3 (n + m - 1).
            Assert.InRange(gap, -1e-4, gamma * Math.Log(3) * (7 + 4 - 1) + 1e-4);
            // Shrinking with gamma, down to float rounding.
            Assert.True(gap <= previousGap + 1e-5, $"gamma {gamma}: gap {gap} grew from {previousGap}");
            previousGap = gap;
        }

        Assert.True(previousGap < 1e-4, $"soft-DTW at gamma 1e-3 is {previousGap} from hard DTW");
        Assert.True(hard - Loss.Dtw(x, y, 2f).Item() > 0.1, "at gamma 2 soft-DTW should lie clearly below hard DTW");
    }

    [Fact]
    public void TheBatchIsAveraged()
    {
        var rng = new RandomSource(9);
        var x = Tensor.Randn(rng, 4, 5, 2);
        var y = Tensor.Randn(rng, 4, 3, 2);
        float batched = Loss.Dtw(x, y, 0.5f).Item();
        double mean = Enumerable.Range(0, 4).Average(b => (double)Loss.Dtw(x.Select(0, b), y.Select(0, b), 0.5f).Item());
        Assert.Equal(mean, batched, 5);
    }

    // ---- padding ----

    [Theory]
    [InlineData(0f)]
    [InlineData(0.3f)]
    public void PaddingPastTheLengthsChangesNeitherTheLossNorTheGradient(float gamma)
    {
        var rng = new RandomSource(11);
        var shortX = Tensor.Randn(rng, 1, 3, 2);
        var shortY = Tensor.Randn(rng, 1, 4, 2);
        var paddedX = Tensor.Concat(1, shortX, Tensor.Randn(rng, 1, 2, 2) * 50f).SetRequiresGrad();
        var paddedY = Tensor.Concat(1, shortY, Tensor.Randn(rng, 1, 3, 2) * 50f).SetRequiresGrad();
        shortX.SetRequiresGrad();
        shortY.SetRequiresGrad();

        var plain = Loss.Dtw(shortX, shortY, gamma);
        var padded = Loss.Dtw(paddedX, paddedY, gamma, DtwCost.SquaredEuclidean, LongTensor.FromArray([3L], 1), LongTensor.FromArray([4L], 1));
        plain.Backward();
        padded.Backward();

        Assert.Equal(plain.Item(), padded.Item(), 5);
        var gx = paddedX.Grad!;
        var gy = paddedY.Grad!;
        AssertClose(shortX.Grad!.ToArray(), gx.Slice(1, 0, 3).ToArray(), 1e-5f);
        AssertClose(shortY.Grad!.ToArray(), gy.Slice(1, 0, 4).ToArray(), 1e-5f);
        Assert.All(gx.Slice(1, 3, 5).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(gy.Slice(1, 4, 7).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void LengthsOutOfRangeAndNegativeGammaAreRejected()
    {
        var x = Tensor.Zeros(2, 3, 2);
        var y = Tensor.Zeros(2, 4, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.Dtw(x, y, 0f, DtwCost.SquaredEuclidean, LongTensor.FromArray([0L, 3L], 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.Dtw(x, y, 0f, DtwCost.SquaredEuclidean, null, LongTensor.FromArray([4L, 5L], 2)));
        Assert.Throws<ArgumentException>(() => Loss.Dtw(x, y, 0f, DtwCost.SquaredEuclidean, LongTensor.FromArray([3L], 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.Dtw(x, y, -0.1f));
        Assert.Throws<ArgumentException>(() => Loss.Dtw(x, Tensor.Zeros(2, 4, 3), 0f));
    }

    // ---- gradients ----

    [Theory]
    [InlineData(DtwCost.SquaredEuclidean, 0.5f)]
    [InlineData(DtwCost.Euclidean, 0.5f)]
    [InlineData(DtwCost.Cosine, 0.2f)]
    [InlineData(DtwCost.SquaredEuclidean, 0f)]
    [InlineData(DtwCost.Euclidean, 0f)]
    public void GradientsMatchFiniteDifferences(DtwCost cost, float gamma)
    {
        var lx = LongTensor.FromArray([4L, 2L], 2);
        var ly = LongTensor.FromArray([3L, 3L], 2);
        GradientChecker.Check(t => Loss.Dtw(t[0], t[1], gamma, cost, lx, ly), [2, 4, 3], [2, 3, 3]);
    }

    [TorchFact]
    public void SoftDtwMatchesAPlainTorchRecursion()
    {
        var rng = new RandomSource(21);
        var x = Tensor.Randn(rng, 2, 5, 3);
        var y = Tensor.Randn(rng, 2, 4, 3);
        long[] lx = [5, 3], ly = [2, 4];
        string input = JsonSerializer.Serialize(new { x = x.ToArray(), y = y.ToArray(), lx, ly, gamma = 0.7 });
        var torch = TorchReference.Run(TorchScript, input);

        x.SetRequiresGrad();
        y.SetRequiresGrad();
        var loss = Loss.Dtw(x, y, 0.7f, DtwCost.SquaredEuclidean, LongTensor.FromArray(lx, 2), LongTensor.FromArray(ly, 2));
        loss.Backward();

        Assert.Equal(torch.GetProperty("loss").GetDouble(), loss.Item(), 4);
        AssertClose(Floats(torch, "grad_x"), x.Grad!.ToArray(), 1e-4f);
        AssertClose(Floats(torch, "grad_y"), y.Grad!.ToArray(), 1e-4f);
    }

    /// <summary>Soft-DTW written from Cuturi and Blondel's forward recursion; torch's autograd differentiates it.</summary>
    private const string TorchScript = """
        import json, sys, torch
        torch.set_default_dtype(torch.float64)
        d = json.load(sys.stdin)
        x = torch.tensor(d["x"]).reshape(2, 5, 3).requires_grad_()
        y = torch.tensor(d["y"]).reshape(2, 4, 3).requires_grad_()
        g = d["gamma"]
        def softmin(*a):
            return -g * torch.logsumexp(-torch.stack(a) / g, 0)
        total = 0
        for b in range(2):
            n, m = d["lx"][b], d["ly"][b]
            C = ((x[b, :n, None, :] - y[b, None, :m, :]) ** 2).sum(-1)
            inf = torch.tensor(float("inf"))
            R = [[torch.tensor(0.0) if i == 0 and j == 0 else inf for j in range(m + 1)] for i in range(n + 1)]
            for i in range(1, n + 1):
                for j in range(1, m + 1):
                    R[i][j] = C[i - 1, j - 1] + softmin(R[i - 1][j - 1], R[i - 1][j], R[i][j - 1])
            total = total + R[n][m]
        loss = total / 2
        loss.backward()
        print(json.dumps({"loss": loss.item(), "grad_x": x.grad.flatten().tolist(), "grad_y": y.grad.flatten().tolist()}))
        """;

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]:G6}, got {actual[i]:G6}");
        }
    }

    private static float[] Floats(JsonElement root, string key) => root.GetProperty(key).EnumerateArray().Select(e => e.GetSingle()).ToArray();

    // ---- the plain reference ----

    private static double[][] Rows(Tensor t, int batchIndex, int length) => Rows(t.Select(0, batchIndex), length);

    private static double[][] Rows(Tensor t, int length)
    {
        var values = t.ToArray();
        int d = t.Size(1);
        return Enumerable.Range(0, length).Select(i => Enumerable.Range(0, d).Select(k => (double)values[i * d + k]).ToArray()).ToArray();
    }

    private static double PairCost(double[] a, double[] b, DtwCost cost)
    {
        double squared = a.Zip(b, (p, q) => (p - q) * (p - q)).Sum();
        return cost switch
        {
            DtwCost.SquaredEuclidean => squared,
            DtwCost.Euclidean => Math.Sqrt(squared),
            _ => 1 - a.Zip(b, (p, q) => p * q).Sum() / (Math.Sqrt(a.Sum(p => p * p)) * Math.Sqrt(b.Sum(q => q * q))),
        };
    }

    /// <summary>R_ij = C_ij + min_g(R_{i-1,j-1}, R_{i-1,j}, R_{i,j-1}) over a full (n+1) x (m+1) table.</summary>
    private static double PlainDtw(double[][] x, double[][] y, DtwCost cost, double gamma)
    {
        int n = x.Length, m = y.Length;
        var r = new double[n + 1, m + 1];
        for (int i = 0; i <= n; i++)
        {
            for (int j = 0; j <= m; j++)
            {
                r[i, j] = double.PositiveInfinity;
            }
        }

        r[0, 0] = 0;
        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                double[] previous = [r[i - 1, j - 1], r[i - 1, j], r[i, j - 1]];
                double min = previous.Min();
                double soft = gamma == 0 ? min : min - gamma * Math.Log(previous.Sum(p => Math.Exp(-(p - min) / gamma)));
                r[i, j] = PairCost(x[i - 1], y[j - 1], cost) + soft;
            }
        }

        return r[n, m];
    }
}
