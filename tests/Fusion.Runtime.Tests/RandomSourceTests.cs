namespace Fusion.Runtime.Tests;

public class RandomSourceTests
{
    [Fact]
    public void SameSeedGivesTheSameBits()
    {
        var a = new RandomSource(2024);
        var b = new RandomSource(2024);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var ta = Tensor.Randn(new RandomSource(5), 7, 9).ToArray();
        var tb = Tensor.Randn(new RandomSource(5), 7, 9).ToArray();
        Assert.Equal(ta.Select(BitConverter.SingleToInt32Bits), tb.Select(BitConverter.SingleToInt32Bits));
        var ua = Tensor.Rand(new RandomSource(5), 11).ToArray();
        var ub = Tensor.Rand(new RandomSource(5), 11).ToArray();
        Assert.Equal(ua, ub);
        Assert.Equal(new RandomSource(9).Permutation(50), new RandomSource(9).Permutation(50));
    }

    [Fact]
    public void KnownOutputsPinTheAlgorithm()
    {
        // xoshiro256** seeded through SplitMix64(0), values from an independent Python implementation.
        // A change of algorithm would silently change every initialisation and shuffle.
        var r = new RandomSource(0UL);
        Assert.Equal(0x99ec5f36cb75f2b4UL, r.NextUInt64());
        Assert.Equal(0xbf6e1f784956452aUL, r.NextUInt64());
        Assert.Equal(0x1a5f849d4933e6e0UL, r.NextUInt64());
    }

    [Fact]
    public void DifferentSeedsDiffer()
    {
        Assert.NotEqual(new RandomSource(1).NextUInt64(), new RandomSource(2).NextUInt64());
    }

    [Fact]
    public void StateRoundTripsAndForkIsDeterministic()
    {
        var r = new RandomSource(77);
        r.NextUInt64();
        var state = r.GetState();
        var first = Enumerable.Range(0, 5).Select(_ => r.NextFloat()).ToArray();
        r.SetState(state);
        Assert.Equal(first, Enumerable.Range(0, 5).Select(_ => r.NextFloat()).ToArray());
        var f1 = new RandomSource(3).Fork().NextUInt64();
        var f2 = new RandomSource(3).Fork().NextUInt64();
        Assert.Equal(f1, f2);
        Assert.Throws<ArgumentException>(() => r.SetState([0UL, 0UL, 0UL, 0UL]));
    }

    [Fact]
    public void DistributionsHaveTheRightMoments()
    {
        var r = new RandomSource(11);
        const int n = 200_000;
        var normal = new float[n];
        r.FillNormal(normal, 1f, 2f);
        double mean = normal.Average(v => (double)v);
        double var = normal.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, 0.98, 1.02);
        Assert.InRange(Math.Sqrt(var), 1.98, 2.02);

        var uniform = new float[n];
        r.FillUniform(uniform, -1f, 3f);
        Assert.All(uniform, v => Assert.InRange(v, -1f, 3f));
        Assert.InRange(uniform.Average(v => (double)v), 0.98, 1.02);

        var bern = new float[n];
        r.FillBernoulli(bern, 0.3);
        Assert.All(bern, v => Assert.True(v == 0f || v == 1f));
        Assert.InRange(bern.Average(v => (double)v), 0.295, 0.305);
    }

    [Fact]
    public void NextIntIsInRangeAndCoversIt()
    {
        var r = new RandomSource(12);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[r.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.NextInt(0));
    }

    [Fact]
    public void ShuffleIsAPermutation()
    {
        var p = new RandomSource(13).Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), p.OrderBy(v => v));
        Assert.NotEqual(Enumerable.Range(0, 1000), p);
    }
}
