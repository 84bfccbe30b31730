namespace Fusion.Runtime.Tests;

/// <summary>MatMul against a triple loop in double, over odd shapes, batches and strided views.</summary>
public class TensorMatMulTests
{
    private static float[] Reference(float[] a, float[] b, int batch, int m, int n, int k, bool batchA = true, bool batchB = true)
    {
        var c = new float[batch * m * n];
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++)
                        s += (double)a[(batchA ? t * m * k : 0) + i * k + p] * b[(batchB ? t * k * n : 0) + p * n + j];
                    c[(t * m + i) * n + j] = (float)s;
                }
        return c;
    }

    private static void Near(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * Math.Max(1f, Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 13, 5)]
    [InlineData(13, 7, 5)]
    [InlineData(1, 9, 17)]
    [InlineData(33, 1, 64)]
    [InlineData(65, 70, 129)]
    public void TwoDimensional(int m, int n, int k)
    {
        var rng = new RandomSource(1);
        var a = Tensor.Randn(rng, m, k);
        var b = Tensor.Randn(rng, k, n);
        var c = Tensor.MatMul(a, b);
        Assert.Equal(new[] { m, n }, c.Shape.ToArray());
        Near(Reference(a.ToArray(), b.ToArray(), 1, m, n, k), c.ToArray());
    }

    [Theory]
    [InlineData(3, 7, 13, 5)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(5, 2, 3, 4)]
    public void BatchedAndBroadcast(int batch, int m, int n, int k)
    {
        var rng = new RandomSource(2);
        var a = Tensor.Randn(rng, batch, m, k);
        var b = Tensor.Randn(rng, batch, k, n);
        var b2 = Tensor.Randn(rng, k, n);
        Near(Reference(a.ToArray(), b.ToArray(), batch, m, n, k), Tensor.MatMul(a, b).ToArray());
        Near(Reference(a.ToArray(), b2.ToArray(), batch, m, n, k, batchB: false), Tensor.MatMul(a, b2).ToArray());
        var a2 = Tensor.Randn(rng, m, k);
        Near(Reference(a2.ToArray(), b.ToArray(), batch, m, n, k, batchA: false), Tensor.MatMul(a2, b).ToArray());
    }

    [Fact]
    public void TransposedAndSlicedViewsGiveTheSameProduct()
    {
        var rng = new RandomSource(3);
        var at = Tensor.Randn(rng, 5, 7); // a = at^T : 7 x 5
        var bt = Tensor.Randn(rng, 13, 5); // b = bt^T : 5 x 13
        var expected = Reference(at.T().ToArray(), bt.T().ToArray(), 1, 7, 13, 5);
        Near(expected, Tensor.MatMul(at.T(), bt.T()).ToArray());
        Near(expected, Tensor.MatMul(at.T().Contiguous(), bt.T()).ToArray());
        // A column slice has a row stride larger than its width.
        var wide = Tensor.Randn(rng, 7, 9);
        var a = wide.Slice(1, 2, 7);
        var b = Tensor.Randn(rng, 5, 4);
        Near(Reference(a.ToArray(), b.ToArray(), 1, 7, 4, 5), Tensor.MatMul(a, b).ToArray());
        // A batched operand with permuted batch dimension needs a copy, and must still be right.
        var p = Tensor.Randn(rng, 3, 2, 4).Permute(1, 0, 2); // [2, 3, 4] non-contiguous batches
        var q = Tensor.Randn(rng, 2, 4, 6);
        Near(Reference(p.ToArray(), q.ToArray(), 2, 3, 6, 4), Tensor.MatMul(p, q).ToArray());
    }

    [Fact]
    public void VectorCases()
    {
        var m = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var v = Tensor.FromArray([1f, 0f, -1f]);
        var mv = Tensor.MatMul(m, v);
        Assert.Equal(new[] { 2 }, mv.Shape.ToArray());
        Near([-2f, -2f], mv.ToArray());
        var vm = Tensor.MatMul(Tensor.FromArray([1f, 1f]), m);
        Near([5f, 7f, 9f], vm.ToArray());
        var dot = Tensor.MatMul(v, v);
        Assert.Empty(dot.Shape.ToArray());
        Assert.Equal(2f, dot.Item());
        Assert.Throws<ArgumentException>(() => Tensor.MatMul(m, m));
    }

    [Fact]
    public void ManySmallBatchesSplitOverCoresMatchTheLoop()
    {
        var rng = new RandomSource(4);
        var a = Tensor.Randn(rng, 512, 8, 16);
        var b = Tensor.Randn(rng, 512, 16, 8);
        Near(Reference(a.ToArray(), b.ToArray(), 512, 8, 8, 16), Tensor.MatMul(a, b).ToArray());
    }
}
