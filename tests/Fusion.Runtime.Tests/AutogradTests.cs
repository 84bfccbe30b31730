namespace Fusion.Runtime.Tests;

/// <summary>The tape: recording, NoGrad, accumulation, detach, retained grads, the extension point.</summary>
public class AutogradTests
{
    [Fact]
    public void NoGradRecordsNothing()
    {
        var w = Tensor.Ones(2, 2).SetRequiresGrad();
        Tensor y;
        using (Tensor.NoGrad())
        {
            Assert.False(Autograd.IsGradEnabled);
            y = (w * 3f).Exp().Sum();
        }
        Assert.True(Autograd.IsGradEnabled);
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.Null(y.GradFnName);
        Assert.Throws<InvalidOperationException>(() => y.Backward());

        using var _ = Autograd.NoGrad();
        Assert.False((w + w).RequiresGrad);
    }

    [Fact]
    public void NoGradScopesNest()
    {
        using (Tensor.NoGrad())
        {
            using (Tensor.NoGrad()) Assert.False(Autograd.IsGradEnabled);
            Assert.False(Autograd.IsGradEnabled);
        }
        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public void OpsOnTensorsWithoutGradAreNotRecorded()
    {
        var a = Tensor.Ones(3);
        var y = a * 2f + a;
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Tensor.FromArray([1f, 2f, 3f]).SetRequiresGrad();
        (x * x).Sum().Backward();
        Assert.Equal(new[] { 2f, 4f, 6f }, x.Grad!.ToArray());
        (x * 3f).Sum().Backward();
        Assert.Equal(new[] { 5f, 7f, 9f }, x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Equal(new[] { 0f, 0f, 0f }, x.Grad!.ToArray());
        x.Grad = null;
        x.Sum().Backward();
        Assert.Equal(new[] { 1f, 1f, 1f }, x.Grad!.ToArray());
    }

    [Fact]
    public void BackwardTwiceOverOneGraphAccumulates()
    {
        var x = Tensor.FromArray([2f]).SetRequiresGrad();
        var y = (x * x * x).Sum();
        y.Backward();
        y.Backward();
        Assert.Equal(24f, x.Grad!.Item()); // 2 * 3x^2
    }

    [Fact]
    public void DiamondGraphSumsBothPaths()
    {
        var x = Tensor.FromArray([0.5f, -1f]).SetRequiresGrad();
        var a = x.Exp();
        var y = (a * x + a.Tanh() + x).Sum();
        y.Backward();
        var xs = new[] { 0.5f, -1f };
        for (int i = 0; i < 2; i++)
        {
            double e = Math.Exp(xs[i]);
            double expected = e * xs[i] + e + (1 - Math.Pow(Math.Tanh(e), 2)) * e + 1;
            Assert.Equal(expected, x.Grad![i], 4);
        }
    }

    [Fact]
    public void DetachCutsTheGraphAndSharesStorage()
    {
        var x = Tensor.FromArray([1f, 2f]).SetRequiresGrad();
        var d = x.Detach();
        Assert.False(d.RequiresGrad);
        var y = (x * d).Sum(); // gradient flows only through the first factor
        y.Backward();
        Assert.Equal(new[] { 1f, 2f }, x.Grad!.ToArray());
        using (Tensor.NoGrad()) x.AddInPlace(Tensor.Ones(2));
        Assert.Equal(new[] { 2f, 3f }, d.ToArray());
    }

    [Fact]
    public void NonLeafGradsAreReleasedUnlessRetained()
    {
        var x = Tensor.FromArray([1f, 2f]).SetRequiresGrad();
        var h = x * 2f;
        var k = (x * 3f).RetainGrad();
        var y = (h * k).Sum();
        y.Backward();
        Assert.Null(h.Grad);
        Assert.Null(y.Grad);
        Assert.NotNull(k.Grad);
        Assert.Equal(new[] { 2f, 4f }, k.Grad!.ToArray()); // dy/dk = h
        Assert.False(h.IsLeaf);
        Assert.Equal("MulScalar", h.GradFnName);
    }

    [Fact]
    public void BackwardNeedsAScalarOrAGradient()
    {
        var x = Tensor.FromArray([1f, 2f]).SetRequiresGrad();
        var y = x * x;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        y.Backward(Tensor.FromArray([1f, 10f]));
        Assert.Equal(new[] { 2f, 40f }, x.Grad!.ToArray());
    }

    [Fact]
    public void ResultsRequireGradAndLeavesCannotBeUnset()
    {
        var x = Tensor.Ones(2).SetRequiresGrad();
        var y = x + 1f;
        Assert.True(y.RequiresGrad);
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
    }

    [Fact]
    public void DeepChainDoesNotOverflowTheStack()
    {
        var x = Tensor.FromArray([1f]).SetRequiresGrad();
        var y = x;
        for (int i = 0; i < 20000; i++) y = y * 1.0001f;
        y.Sum().Backward();
        Assert.Equal(Math.Pow(1.0001, 20000), x.Grad!.Item(), 2);
    }

    [Fact]
    public void ReadmeUsageExampleRunsAndLowersTheLoss()
    {
        var rng = new RandomSource(42);
        var w = Tensor.Randn(rng, 4, 3).SetRequiresGrad();
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        float Loss()
        {
            using var step = Tensor.NewScope();
            var y = Tensor.MatMul(x, w.T()).Gelu();
            Assert.Equal(new[] { 2, 4 }, y.Shape.ToArray());
            var loss = y.LogSoftmax(-1).Mean();
            loss.Backward();
            return loss.Item();
        }
        float before = Loss();
        // Gradient descent on the mean log-probability lowers it.
        using (Tensor.NoGrad()) w.AddInPlace(w.Grad!, -0.1f);
        w.ZeroGrad();
        float after = Loss();
        Assert.True(after < before, $"{before} -> {after}");
    }

    private static Tensor Softplus(Tensor x)
    {
        var xc = x.Contiguous();
        var result = Tensor.Empty(x.Shape);
        var xs = xc.AsSpan();
        var ys = result.AsSpan();
        for (int i = 0; i < ys.Length; i++) ys[i] = MathF.Log(1f + MathF.Exp(xs[i]));
        return Autograd.Record(result, [x], g => x.AccumulateGrad(g * xc.Sigmoid()), "Softplus");
    }

    [Fact]
    public void ExtensionPointOpFromTheReadmeHasTheRightGradient()
    {
        GradientChecker.Check(x => Softplus(x[0]) * x[1], [3, 4], [4]);
        var y = Softplus(Tensor.Ones(2).SetRequiresGrad());
        Assert.Equal("Softplus", y.GradFnName);
    }

    [Fact]
    public void ExtensionPointWithSpanGradientAndBroadcastReduction()
    {
        // A custom op whose backward hands a broadcast gradient: AccumulateGrad sums it down.
        static Tensor AddRowVector(Tensor m, Tensor v)
        {
            var result = m.Detach() + v.Detach();
            return Autograd.Record(result, [m, v], g =>
            {
                m.AccumulateGrad(g.Contiguous().AsReadOnlySpan());
                v.AccumulateGrad(g); // [2, 3] summed to [3]
            }, "AddRowVector");
        }
        GradientChecker.Check(x => AddRowVector(x[0], x[1]), [2, 3], [3]);
    }

    [Fact]
    public void TheCheckerCatchesAWrongBackward()
    {
        static Tensor WrongSquare(Tensor x)
        {
            var result = x.Detach() * x.Detach();
            return Autograd.Record(result, [x], g => x.AccumulateGrad(g * x), "WrongSquare"); // misses the factor 2
        }
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradientChecker.Check(x => WrongSquare(x[0]), [4]));
    }

    [Fact]
    public void RecordRefusesATensorAlreadyOnTheGraph()
    {
        var x = Tensor.Ones(2).SetRequiresGrad();
        var y = x * 2f;
        Assert.Throws<InvalidOperationException>(() => Autograd.Record(y, [x], g => { }, "Again"));
    }

    [Fact]
    public void GradOfBroadcastOperandHasItsOwnShape()
    {
        var a = Tensor.Ones(4, 3).SetRequiresGrad();
        var b = Tensor.FromArray([1f, 2f, 3f]).SetRequiresGrad();
        (a * b).Sum().Backward();
        Assert.Equal(new[] { 3 }, b.Grad!.Shape.ToArray());
        Assert.Equal(new[] { 4f, 4f, 4f }, b.Grad!.ToArray());
        Assert.Equal(new[] { 4, 3 }, a.Grad!.Shape.ToArray());
    }
}
