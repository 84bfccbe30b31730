using MathNet.Numerics;

namespace Fusion.Runtime.Tests;

/// <summary>Forward values against closed forms and simple loops.</summary>
public class TensorValueTests
{
    private static void Near(float[] expected, float[] actual, float tol = 1e-6f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == actual[i] || Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1f, Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void SoftmaxOfOneTwoThree()
    {
        var y = Tensor.FromArray([1f, 2f, 3f]).Softmax();
        Near([0.09003057f, 0.24472847f, 0.66524096f], y.ToArray());
    }

    [Fact]
    public void LogSoftmaxOfOneTwoThree()
    {
        var y = Tensor.FromArray([1f, 2f, 3f]).LogSoftmax();
        Near([-2.40760596f, -1.40760596f, -0.40760596f], y.ToArray());
    }

    [Fact]
    public void SoftmaxIsStableForLargeLogits()
    {
        var y = Tensor.FromArray([1000f, 1001f, 1002f]).Softmax();
        Near([0.09003057f, 0.24472847f, 0.66524096f], y.ToArray());
        var l = Tensor.FromArray([-1000f, 0f]).LogSoftmax();
        Near([-1000f, 0f], l.ToArray());
    }

    [Fact]
    public void SoftmaxOverNonLastAxisMatchesTransposedLastAxis()
    {
        var x = Tensor.Randn(new RandomSource(3), 3, 4, 5);
        var a = x.Softmax(1).ToArray();
        var b = x.Transpose(1, 2).Softmax(-1).Transpose(1, 2).ToArray();
        Near(a, b, 1e-6f);
        var la = x.LogSoftmax(0).ToArray();
        var lb = x.Permute(1, 2, 0).LogSoftmax(-1).Permute(2, 0, 1).ToArray();
        Near(la, lb, 1e-5f);
    }

    [Theory]
    [InlineData(-12.0)]
    [InlineData(-8.0)]
    [InlineData(-5.0)]
    [InlineData(-3.0)]
    [InlineData(-1.0)]
    [InlineData(-0.5)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(6.0)]
    [InlineData(1e-3)]
    [InlineData(-1e-3)]
    public void GeluMatchesErfForm(double x)
    {
        // 0.5 x (1 + erf(x / sqrt 2)) written with erfc, so the reference keeps its precision in the left tail.
        double expected = 0.5 * x * SpecialFunctions.Erfc(-x / Math.Sqrt(2));
        Assert.Equal(0.5 * x * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2))), expected, 1e-12);
        // Both the vectorised body (16 lanes) and the scalar tail must agree with erf.
        var values = Enumerable.Repeat((float)x, 17).ToArray();
        var y = Tensor.FromArray(values).Gelu().ToArray();
        foreach (var v in y)
            Assert.True(Math.Abs(v - expected) <= 1e-5 * Math.Abs(expected) + 1e-30,
                $"gelu({x}) = {v:R}, erf form gives {expected:R} (relative error {Math.Abs(v - expected) / Math.Abs(expected):G3})");
    }

    [Fact]
    public void GeluKnownValues()
    {
        // PyTorch: torch.nn.functional.gelu(torch.tensor([-1., 0., 1., 2.]))
        var y = Tensor.FromArray([-1f, 0f, 1f, 2f]).Gelu();
        Near([-0.15865526f, 0f, 0.84134474f, 1.95449972f], y.ToArray(), 1e-6f);
    }

    [Fact]
    public void ActivationsKnownValues()
    {
        var x = Tensor.FromArray([-2f, -0.5f, 0f, 1.5f]);
        Near([0f, 0f, 0f, 1.5f], x.Relu().ToArray());
        Near([-0.02f, -0.005f, 0f, 1.5f], x.LeakyRelu().ToArray());
        Near([MathF.Exp(-2f) - 1f, MathF.Exp(-0.5f) - 1f, 0f, 1.5f], x.Elu().ToArray());
        Near([MathF.Tanh(-2f), MathF.Tanh(-0.5f), 0f, MathF.Tanh(1.5f)], x.Tanh().ToArray());
        Near([1f / (1f + MathF.Exp(2f)), 1f / (1f + MathF.Exp(0.5f)), 0.5f, 1f / (1f + MathF.Exp(-1.5f))], x.Sigmoid().ToArray());
        Near([-1f, -0.5f, 0f, 1f], x.Clamp(-1f, 1f).ToArray());
        Near([2f, 0.5f, 0f, 1.5f], x.Abs().ToArray());
    }

    [Fact]
    public void BroadcastingShapes()
    {
        Assert.Equal(new[] { 2, 3, 4 }, (Tensor.Ones(2, 1, 4) + Tensor.Ones(3, 1)).Shape.ToArray());
        Assert.Equal(new[] { 5, 4 }, (Tensor.Ones(5, 1) * Tensor.Ones(4)).Shape.ToArray());
        Assert.Equal(new[] { 2, 3 }, (Tensor.Ones(2, 3) - Tensor.Scalar(1f)).Shape.ToArray());
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3) + Tensor.Ones(4));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void BroadcastValues()
    {
        var a = Tensor.FromArray([1f, 2f, 3f], 3, 1);
        var b = Tensor.FromArray([10f, 20f], 2);
        Near([11f, 21f, 12f, 22f, 13f, 23f], (a + b).ToArray());
        Near([-9f, -19f, -8f, -18f, -7f, -17f], (a - b).ToArray());
        Near([10f, 20f, 20f, 40f, 30f, 60f], (a * b).ToArray());
        Near([0.1f, 0.05f, 0.2f, 0.1f, 0.3f, 0.15f], (a / b).ToArray());
        Near([2f, 1f, 2f / 3f], (2f / a).ToArray());
        Near([1f, 0f, -1f], (2f - a).ToArray());
    }

    [Fact]
    public void ArithmeticOnStridedViews()
    {
        var x = Tensor.Arange(12).Reshape(3, 4);
        var t = x.Transpose(0, 1); // [4, 3], non-contiguous
        var y = t + Tensor.FromArray([100f, 200f, 300f]);
        Near([100, 204, 308, 101, 205, 309, 102, 206, 310, 103, 207, 311], y.ToArray());
        var s = x.Slice(1, 1, 4, 2); // columns 1, 3
        Near([1, 3, 5, 7, 9, 11], s.ToArray());
        Near([2, 6, 10, 14, 18, 22], (s * 2f).ToArray());
    }

    [Fact]
    public void SumAndMeanOverAxes()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        Assert.Equal(276f, x.Sum().Item());
        Assert.Equal(11.5f, x.Mean().Item());
        Assert.Empty(x.Sum().Shape.ToArray());
        var s1 = x.Sum(1);
        Assert.Equal(new[] { 2, 4 }, s1.Shape.ToArray());
        Near([12, 15, 18, 21, 48, 51, 54, 57], s1.ToArray());
        var s02 = x.Sum([0, 2], keepDim: true);
        Assert.Equal(new[] { 1, 3, 1 }, s02.Shape.ToArray());
        Near([6 + 54, 22 + 70, 38 + 86], s02.ToArray());
        var m = x.Mean(-1);
        Near([1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f], m.ToArray());
        var sNeg = x.Sum([-1, 0]);
        Near([6 + 54, 22 + 70, 38 + 86], sNeg.ToArray());
    }

    [Fact]
    public void MaxMinArgMax()
    {
        var x = Tensor.FromArray([3f, -1f, 7f, 2f, 9f, -4f], 2, 3);
        Near([7f, 9f], x.Max(1).ToArray());
        Near([2f, -1f, -4f], x.Min(0).ToArray());
        Assert.Equal(9f, x.Max().Item());
        Assert.Equal(-4f, x.Min().Item());
        Assert.Equal(new long[] { 2, 1 }, x.ArgMax(1).ToArray());
        Assert.Equal(new long[] { 1, 0, 1 }, x.ArgMin(0).ToArray());
        Assert.Equal(new[] { 2, 1 }, x.ArgMax(1, keepDim: true).Shape.ToArray());
    }

    [Fact]
    public void MaxOfTiesSplitsTheGradient()
    {
        var x = Tensor.FromArray([1f, 5f, 5f, 2f]).SetRequiresGrad();
        x.Max().Backward();
        Near([0f, 0.5f, 0.5f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void LogSumExpIsStableAndHandlesInfinities()
    {
        var x = Tensor.FromArray([1000f, 1000f, 1f, 2f, float.NegativeInfinity, float.NegativeInfinity], 3, 2);
        var y = x.LogSumExp(1).ToArray();
        Assert.Equal(1000f + MathF.Log(2f), y[0], 3);
        Assert.Equal(2f + MathF.Log(1f + MathF.Exp(-1f)), y[1], 5);
        Assert.Equal(float.NegativeInfinity, y[2]);
        Assert.Equal(new[] { 3, 1 }, x.LogSumExp(-1, keepDim: true).Shape.ToArray());
    }

    [Fact]
    public void TrigonometryAndReciprocals()
    {
        var x = Tensor.FromArray([0.25f, 1f, 4f]);
        Near([4f, 1f, 0.25f], x.Reciprocal().ToArray());
        Near([2f, 1f, 0.5f], x.Rsqrt().ToArray());
        Near([MathF.Sin(0.25f), MathF.Sin(1f), MathF.Sin(4f)], x.Sin().ToArray());
        Near([MathF.Cos(0.25f), MathF.Cos(1f), MathF.Cos(4f)], x.Cos().ToArray());
        Near([MathF.Sqrt(1.6666666f)], Tensor.FromArray([1f, 2f, 3f, 4f], 4, 1).Std(0).ToArray());
    }

    [Fact]
    public void VarianceUnbiasedAndBiased()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4);
        Assert.Equal(1.6666666f, x.Var(1).Item(), 5);
        Assert.Equal(1.25f, x.Var(1, unbiased: false).Item(), 5);
    }

    [Fact]
    public void ShapeViewsShareStorage()
    {
        var x = Tensor.Arange(6).Reshape(2, 3);
        Assert.True(x.IsContiguous);
        var t = x.T();
        Assert.False(t.IsContiguous);
        Assert.Equal(new[] { 3, 2 }, t.Shape.ToArray());
        Assert.Equal(new[] { 1, 3 }, t.Strides.ToArray());
        Near([0, 3, 1, 4, 2, 5], t.ToArray());
        Near([0, 3, 1, 4, 2, 5], t.Contiguous().ToArray());
        x.AsSpan()[1] = 42f;
        Assert.Equal(42f, t[1, 0]);
        Assert.Equal(42f, x.Reshape(6)[1]);
        Assert.Equal(new[] { 1, 2, 3 }, x.Unsqueeze(0).Shape.ToArray());
        Assert.Equal(new[] { 2, 3, 1 }, x.Unsqueeze(-1).Shape.ToArray());
        Assert.Equal(new[] { 2, 3 }, x.Unsqueeze(1).Squeeze().Shape.ToArray());
        Assert.Equal(new[] { 3, 2 }, x.Reshape(-1, 2).Shape.ToArray());
        Assert.Throws<ArgumentException>(() => x.Reshape(4, -1));
        Assert.Throws<InvalidOperationException>(() => t.View(6));
        Near([0, 3, 42, 4, 2, 5], t.Reshape(6).ToArray());
    }

    [Fact]
    public void PermuteExpandSelectFlatten()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        var p = x.Permute(2, 0, 1);
        Assert.Equal(new[] { 4, 2, 3 }, p.Shape.ToArray());
        Assert.Equal(x[1, 2, 3], p[3, 1, 2]);
        var e = Tensor.FromArray([1f, 2f], 2, 1).Expand(3, 2, 4);
        Assert.Equal(new[] { 3, 2, 4 }, e.Shape.ToArray());
        Assert.Equal(new[] { 0, 1, 0 }, e.Strides.ToArray());
        Assert.Equal(2f, e[2, 1, 3]);
        Near([4, 5, 6, 7, 16, 17, 18, 19], x.Select(1, 1).ToArray());
        Assert.Equal(new[] { 2, 12 }, x.Flatten(1).Shape.ToArray());
        Assert.Equal(new[] { 24 }, x.Flatten().Shape.ToArray());
        Near([0, 2, 12, 14], x.Slice(1, 0, 1).Slice(2, 0, 4, 2).ToArray());
        Near([20, 21, 22, 23], x.Slice(1, -1, 3).Slice(0, 1, 2).ToArray());
    }

    [Fact]
    public void RepeatTilesLikePyTorch()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var r = x.Repeat(2, 3);
        Assert.Equal(new[] { 4, 6 }, r.Shape.ToArray());
        Near([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4], r.ToArray());
        var v = Tensor.FromArray([1f, 2f]).Repeat(3, 2);
        Assert.Equal(new[] { 3, 4 }, v.Shape.ToArray());
        Near([1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2], v.ToArray());
    }

    [Fact]
    public void AllCloseComparesShapeAndValues()
    {
        var a = Tensor.FromArray([1f, 2f, 3f]);
        Assert.True(a.AllClose(Tensor.FromArray([1f, 2f, 3.00001f]), rtol: 1e-4f));
        Assert.False(a.AllClose(Tensor.FromArray([1f, 2f, 3.1f])));
        Assert.False(a.AllClose(a.Reshape(3, 1)));
        Assert.False(Tensor.FromArray([float.NaN]).AllClose(Tensor.FromArray([float.NaN])));
    }

    [Fact]
    public void ConcatStackSplitChunk()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var b = Tensor.FromArray([5f, 6f], 2, 1);
        var c = Tensor.Concat([a, b], 1);
        Assert.Equal(new[] { 2, 3 }, c.Shape.ToArray());
        Near([1, 2, 5, 3, 4, 6], c.ToArray());
        Near([1, 2, 3, 4, 1, 2, 3, 4], Tensor.Concat([a, a], 0).ToArray());
        var s = Tensor.Stack([a, a * 10f], 1);
        Assert.Equal(new[] { 2, 2, 2 }, s.Shape.ToArray());
        Near([1, 2, 10, 20, 3, 4, 30, 40], s.ToArray());
        var parts = c.Split([2, 1], 1);
        Near([1, 2, 3, 4], parts[0].ToArray());
        Near([5, 6], parts[1].ToArray());
        var chunks = Tensor.Arange(7).Chunk(3);
        Assert.Equal(new[] { 3, 3, 1 }, chunks.Select(t => t.Numel).ToArray());
        Assert.Throws<ArgumentException>(() => Tensor.Concat([a, Tensor.Ones(3, 1)], 1));
    }

    [Fact]
    public void GatherIndexSelectMaskedFillWhere()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var g = x.Gather(1, LongTensor.FromArray([2L, 0L], 2, 1));
        Near([3f, 4f], g.ToArray());
        var sel = x.IndexSelect(1, LongTensor.FromArray([2L, 2L, 0L]));
        Near([3, 3, 1, 6, 6, 4], sel.ToArray());
        var rows = x.IndexSelect(0, LongTensor.FromArray([1L]));
        Near([4, 5, 6], rows.ToArray());
        Assert.Throws<IndexOutOfRangeException>(() => x.IndexSelect(0, LongTensor.FromArray([2L])));
        var mask = Tensor.FromArray([0f, 1f, 0f], 3);
        Near([1, float.NegativeInfinity, 3, 4, float.NegativeInfinity, 6], x.MaskedFill(mask, float.NegativeInfinity).ToArray());
        var w = Tensor.Where(Tensor.FromArray([1f, 0f], 2, 1), x, Tensor.Scalar(-1f));
        Near([1, 2, 3, -1, -1, -1], w.ToArray());
    }

    [Fact]
    public void ComparisonsAreMasks()
    {
        var a = Tensor.FromArray([1f, 2f, 3f]);
        var b = Tensor.FromArray([2f, 2f, 2f]);
        Near([0, 1, 0], a.Eq(b).ToArray());
        Near([0, 0, 1], a.Gt(b).ToArray());
        Near([0, 1, 1], a.Ge(2f).ToArray());
        Near([1, 0, 0], a.Lt(b).ToArray());
        Near([1, 1, 0], a.Le(2f).ToArray());
        Near([1, 0, 1], a.Ne(2f).ToArray());
    }

    [Fact]
    public void FactoriesAndOuter()
    {
        Near([0f, 0.5f, 1f, 1.5f], Tensor.Arange(0f, 2f, 0.5f).ToArray());
        Near([7f, 7f], Tensor.Full(7f, 2).ToArray());
        Near([1, 0, 0, 1], Tensor.Eye(2).ToArray());
        Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2));
        var o = Tensor.Outer(Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2), Tensor.FromArray([1f, 10f, 100f, 1f, 2f, 3f], 2, 3));
        Assert.Equal(new[] { 2, 2, 3 }, o.Shape.ToArray());
        Near([1, 10, 100, 2, 20, 200, 3, 6, 9, 4, 8, 12], o.ToArray());
    }

    [Fact]
    public void InPlaceUpdates()
    {
        var p = Tensor.FromArray([1f, 2f, 3f]).SetRequiresGrad();
        Assert.Throws<InvalidOperationException>(() => p.AddInPlace(Tensor.Ones(3)));
        using (Tensor.NoGrad())
        {
            p.AddInPlace(Tensor.FromArray([1f, 1f, 1f]), -0.5f);
            p.MulInPlace(2f);
            p.MulInPlace(Tensor.FromArray([1f, 0f, 1f]));
        }
        Near([1f, 0f, 5f], p.ToArray());
        var q = Tensor.Zeros(2, 3).CopyFrom(Tensor.FromArray([1f, 2f, 3f]));
        Near([1, 2, 3, 1, 2, 3], q.ToArray());
        q.FillInPlace(4f).AddInPlace(Tensor.FromArray([1f, 2f], 2, 1));
        Near([5, 5, 5, 6, 6, 6], q.ToArray());
        q.ZeroInPlace();
        Assert.All(q.ToArray(), v => Assert.Equal(0f, v));
    }
}
