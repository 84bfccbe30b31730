namespace Fusion.Runtime.Tests;

/// <summary>Symmetric inverse square root and singular-value sums: values and finite-difference gradients.</summary>
public class LinalgTests
{
    private static Tensor SpdFrom(Tensor x, float ridge)
    {
        int n = x.Size(0);
        return Tensor.MatMul(x, x.T()) / (float)x.Size(1) + Tensor.Eye(n) * ridge;
    }

    [Fact]
    public void InverseSqrtOfDiagonal()
    {
        var s = Tensor.FromArray([4f, 0f, 0f, 0f, 9f, 0f, 0f, 0f, 0.25f], 3, 3);
        var r = s.SymmetricInverseSqrt().ToArray();
        var expected = new[] { 0.5f, 0, 0, 0, 1f / 3f, 0, 0, 0, 2f };
        for (int i = 0; i < 9; i++) Assert.Equal(expected[i], r[i], 5);
    }

    [Fact]
    public void InverseSqrtSquaredTimesMatrixIsIdentity()
    {
        var s = SpdFrom(Tensor.Randn(new RandomSource(1), 5, 8), 0.1f);
        var r = s.SymmetricInverseSqrt();
        var product = Tensor.MatMul(Tensor.MatMul(r, s), r).ToArray();
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                Assert.Equal(i == j ? 1f : 0f, product[i * 5 + j], 3);
        var rv = r.ToArray();
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(rv[i * 5 + j], rv[j * 5 + i], 5);
    }

    [Fact]
    public void InverseSqrtRejectsIndefinite() =>
        Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 2f, 1f], 2, 2).SymmetricInverseSqrt());

    [Fact]
    public void InverseSqrtGradient() =>
        GradientChecker.Check(x => SpdFrom(x[0], 0.5f).SymmetricInverseSqrt(), [4, 6]);

    [Fact]
    public void InverseSqrtGradientDirectInput()
    {
        // The raw (not yet symmetric) matrix is the input: the op symmetrises, so every entry has a gradient.
        var x = Tensor.FromArray([2f, 0.3f, -0.2f, 0.1f, 1.5f, 0.4f, -0.1f, 0.2f, 1.2f], 3, 3);
        GradientChecker.Check(t => t[0].SymmetricInverseSqrt(), [x]);
    }

    [Fact]
    public void InverseSqrtGradientRepeatedEigenvalues() =>
        GradientChecker.Check(x => (x[0] * 0f + Tensor.Eye(3) * 2f + x[0] * x[0].T() * 0.01f).SymmetricInverseSqrt(), [3, 3]);

    [Fact]
    public void NuclearNormOfKnownMatrix()
    {
        // Singular values of diag(3, -2) are 3 and 2; a rotation does not change them.
        float c = MathF.Cos(0.3f), s = MathF.Sin(0.3f);
        var rot = Tensor.FromArray([c, -s, s, c], 2, 2);
        var m = Tensor.MatMul(rot, Tensor.FromArray([3f, 0f, 0f, -2f], 2, 2));
        Assert.Equal(5f, m.NuclearNorm().Item(), 4);
        Assert.Equal(3f, m.SumTopSingularValues(1).Item(), 4);
    }

    [Fact]
    public void NuclearNormEqualsTraceOfSqrtOfGram()
    {
        var t = Tensor.Randn(new RandomSource(4), 4, 3);
        var gram = Tensor.MatMul(t.T(), t);
        // trace(sqrt(T^T T)) = trace(G * G^-1/2) with G = T^T T.
        var expected = (gram * gram.SymmetricInverseSqrt()).Sum().Item();
        Assert.Equal(expected, t.NuclearNorm().Item(), 3);
    }

    [Fact]
    public void SumTopSingularValuesRejectsBadK()
    {
        var t = Tensor.Zeros(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.SumTopSingularValues(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.SumTopSingularValues(0));
    }

    [Fact] public void NuclearNormGradientSquare() => GradientChecker.Check(x => x[0].NuclearNorm(), [4, 4]);
    [Fact] public void NuclearNormGradientTall() => GradientChecker.Check(x => x[0].NuclearNorm(), [5, 3]);
    [Fact] public void NuclearNormGradientWide() => GradientChecker.Check(x => x[0].NuclearNorm(), [2, 4]);
    [Fact] public void TopSingularValuesGradient() => GradientChecker.Check(x => x[0].SumTopSingularValues(2), [4, 5]);
    [Fact] public void NuclearNormGradientOfTransposedView() => GradientChecker.Check(x => x[0].T().NuclearNorm(), [3, 4]);
}
