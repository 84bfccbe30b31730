namespace Fusion.Runtime.Tests;

/// <summary>FFT circular convolution against the direct O(D^2) sum, and its gradient by finite differences.</summary>
public class SpectralTests
{
    private static double[] Direct(float[] a, float[] b, int row, int d)
    {
        var y = new double[d];
        for (int n = 0; n < d; n++)
        {
            double s = 0;
            for (int k = 0; k < d; k++) s += (double)a[row * d + k] * b[row * d + ((n - k) % d + d) % d];
            y[n] = s;
        }
        return y;
    }

    [Theory]
    [InlineData(8)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(1)]
    [InlineData(2)]
    public void MatchesDirectSum(int d)
    {
        var rng = new RandomSource((ulong)d);
        var a = Tensor.Randn(rng, 3, d);
        var b = Tensor.Randn(rng, 3, d);
        var y = Tensor.CircularConvolution(a, b);
        Assert.Equal(new[] { 3, d }, y.Shape.ToArray());
        var av = a.ToArray(); var bv = b.ToArray(); var yv = y.ToArray();
        for (int r = 0; r < 3; r++)
        {
            var expected = Direct(av, bv, r, d);
            for (int n = 0; n < d; n++) Assert.Equal(expected[n], yv[r * d + n], 4);
        }
    }

    [Fact]
    public void KnownSmallExample()
    {
        // a = [1,2,3], b = [0,1,0]: convolution with a unit impulse at 1 shifts a right by one.
        var y = Tensor.CircularConvolution(Tensor.FromArray([1f, 2f, 3f], 3), Tensor.FromArray([0f, 1f, 0f], 3));
        Assert.Equal(new[] { 3f, 1f, 2f }, y.ToArray().Select(v => MathF.Round(v, 5)).ToArray());
    }

    [Fact]
    public void LargeNonPowerOfTwoMatchesDirectSum()
    {
        const int d = 1000;
        var rng = new RandomSource(3);
        var a = Tensor.Randn(rng, 2, d);
        var b = Tensor.Randn(rng, 2, d);
        var yv = Tensor.CircularConvolution(a, b).ToArray();
        var expected = Direct(a.ToArray(), b.ToArray(), 1, d);
        for (int n = 0; n < d; n++) Assert.Equal(expected[n], yv[d + n], 2);
    }

    [Fact]
    public void BroadcastsLeadingDimensions()
    {
        var rng = new RandomSource(5);
        var a = Tensor.Randn(rng, 2, 3, 5);
        var b = Tensor.Randn(rng, 3, 5);
        var y = Tensor.CircularConvolution(a, b).ToArray();
        var bExpanded = b.Expand(2, 3, 5).Contiguous();
        var expected = Tensor.CircularConvolution(a, bExpanded).ToArray();
        Assert.Equal(expected, y);
    }

    [Fact]
    public void RejectsDifferentLengths() =>
        Assert.Throws<ArgumentException>(() => Tensor.CircularConvolution(Tensor.Zeros(2, 4), Tensor.Zeros(2, 5)));

    [Fact] public void GradientPowerOfTwo() => GradientChecker.Check(x => Tensor.CircularConvolution(x[0], x[1]), [3, 8], [3, 8]);
    [Fact] public void GradientNonPowerOfTwo() => GradientChecker.Check(x => Tensor.CircularConvolution(x[0], x[1]), [2, 7], [2, 7]);
    [Fact] public void GradientOddLength() => GradientChecker.Check(x => Tensor.CircularConvolution(x[0], x[1]), [2, 9], [2, 9]);
    [Fact] public void GradientPaddedLength() => GradientChecker.Check(x => Tensor.CircularConvolution(x[0], x[1]), [1, 100], [1, 100]);
    [Fact] public void GradientBroadcast() => GradientChecker.Check(x => Tensor.CircularConvolution(x[0], x[1]), [2, 3, 6], [6]);
    [Fact] public void GradientOneInputConstant()
    {
        var b = Tensor.Randn(new RandomSource(9), 2, 5);
        GradientChecker.Check(x => Tensor.CircularConvolution(x[0], b), [2, 5]);
    }
}
