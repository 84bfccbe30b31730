namespace Fusion.Runtime.Tests;

/// <summary>Same seed, same bits: initialisation, dropout masks, shuffles and whole training runs.</summary>
public class DeterminismTests
{
    private static float[] TrainRun(ulong seed)
    {
        var rng = new RandomSource(seed);
        var w1 = (Tensor.Randn(rng, 32, 20) * 0.2f).SetRequiresGrad();
        var w2 = (Tensor.Randn(rng, 3, 32) * 0.2f).SetRequiresGrad();
        var data = Tensor.Randn(rng, 48, 20);
        var labels = Enumerable.Range(0, 48).Select(i => (long)(i % 3)).ToArray();
        var losses = new List<float>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var order = rng.Permutation(48);
            for (int start = 0; start < 48; start += 16)
            {
                var idx = LongTensor.FromArray(order.Skip(start).Take(16).Select(i => (long)i).ToArray());
                var y = LongTensor.FromArray(order.Skip(start).Take(16).Select(i => labels[i]).ToArray(), 16, 1);
                using (Tensor.NewScope())
                {
                    var x = data.IndexSelect(0, idx);
                    var mask = Tensor.Bernoulli(rng, 0.9, 16, 32) / 0.9f; // dropout
                    var h = (Tensor.MatMul(x, w1.T()).Relu() * mask);
                    var loss = -Tensor.MatMul(h, w2.T()).LogSoftmax(-1).Gather(1, y).Mean();
                    loss.Backward();
                    losses.Add(loss.Item());
                }
                using (Tensor.NoGrad())
                {
                    w1.AddInPlace(w1.Grad!, -0.05f);
                    w2.AddInPlace(w2.Grad!, -0.05f);
                    w1.ZeroGrad();
                    w2.ZeroGrad();
                }
            }
        }
        return losses.Concat(w1.ToArray()).Concat(w2.ToArray()).ToArray();
    }

    [Fact]
    public void TheSameSeedReproducesATrainingRunBitForBit()
    {
        var a = TrainRun(99);
        var b = TrainRun(99);
        Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));
        var c = TrainRun(100);
        Assert.NotEqual(a.Select(BitConverter.SingleToInt32Bits), c.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void FactoriesDrawFromTheGivenSourceOnly()
    {
        var r1 = new RandomSource(5);
        var r2 = new RandomSource(5);
        var a = Tensor.Randn(r1, 10);
        _ = Tensor.Rand(new RandomSource(77), 10); // another source does not disturb r2
        var b = Tensor.Randn(r2, 10);
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Equal(Tensor.Bernoulli(r1, 0.5, 64).ToArray(), Tensor.Bernoulli(r2, 0.5, 64).ToArray());
    }
}
