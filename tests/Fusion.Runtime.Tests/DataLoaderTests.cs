using Fusion.Runtime.Data;

namespace Fusion.Runtime.Tests;

/// <summary>Dataset selection and splits, and batching by the DataLoader.</summary>
public sealed class DataLoaderTests
{
    /// <summary>10 samples: f = [i, 10 i] floats, y = i labels, s = a 3-step int sequence with length 1 + i % 3.</summary>
    private static Dataset Numbered(int n = 10) => new(
    [
        DataColumn.FromFloats("f", Enumerable.Range(0, n).SelectMany(i => new[] { (float)i, 10f * i }).ToArray(), [2]),
        DataColumn.FromLongs("y", Enumerable.Range(0, n).Select(i => (long)i).ToArray(), []),
        DataColumn.FromLongs("s", Enumerable.Range(0, n).SelectMany(i => new long[] { i, i, i }).ToArray(), [3], Enumerable.Range(0, n).Select(i => 1 + i % 3).ToArray()),
    ]);

    [Fact]
    public void SelectCopiesRowsInOrder()
    {
        var picked = Numbered().Select([7, 2, 7]);
        Assert.Equal(3, picked.Count);
        Assert.Equal([7f, 70f, 2f, 20f, 7f, 70f], picked["f"].Floats!);
        Assert.Equal([7L, 2L, 7L], picked["y"].Longs!);
        Assert.Equal([2, 3, 2], picked["s"].Lengths!);
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered().Select([10]));
    }

    [Fact]
    public void SplitPartitionsBySeededPermutation()
    {
        var data = Numbered(100);
        var parts = data.Split([0.8, 0.1, 0.1], new RandomSource(3));
        Assert.Equal([80, 10, 10], parts.Select(p => p.Count));
        var all = parts.SelectMany(p => p["y"].Longs!).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), all);
        // rows stay whole: f = [y, 10 y]
        foreach (var p in parts)
            for (int i = 0; i < p.Count; i++) Assert.Equal(p["y"].Longs![i] * 10f, p["f"].Floats![2 * i + 1]);
        var again = data.Split([0.8, 0.1, 0.1], new RandomSource(3));
        for (int k = 0; k < 3; k++) Assert.Equal(parts[k]["y"].Longs!, again[k]["y"].Longs!);
        var other = data.Split([0.8, 0.1, 0.1], new RandomSource(4));
        Assert.NotEqual(parts[0]["y"].Longs!, other[0]["y"].Longs!);
    }

    [Fact]
    public void SplitRoundsBoundariesAndChecksFractions()
    {
        Assert.Equal([7, 2, 1], Numbered(10).Split([0.7, 0.15, 0.15], new RandomSource(1)).Select(p => p.Count)); // round(8.5) = 9
        Assert.Throws<ArgumentException>(() => Numbered().Split([0.5, 0.4], new RandomSource(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered().Split([1.2, -0.2], new RandomSource(1)));
    }

    [Fact]
    public void ColumnsMustAgree()
    {
        Assert.Equal("Column 'b' has 3 samples but column 'a' has 2.",
            Assert.Throws<ArgumentException>(() => new Dataset([DataColumn.FromFloats("a", new float[2], [1]), DataColumn.FromFloats("b", new float[3], [1])])).Message);
        Assert.Throws<ArgumentException>(() => DataColumn.FromFloats("a", new float[5], [2]));
        Assert.Throws<ArgumentException>(() => DataColumn.FromFloats("a", new float[4], [2], [1, 3]));
    }

    [Fact]
    public void BatchesInOrderWithASmallerLastBatch()
    {
        using var loader = new DataLoader(Numbered(), 4);
        Assert.Equal(3, loader.BatchCount);
        var seen = new List<long>();
        var sizes = new List<int>();
        foreach (var batch in loader.Epoch())
        {
            sizes.Add(batch.Size);
            Assert.Equal([batch.Size, 2], batch.Float("f").Shape.ToArray());
            Assert.Equal([batch.Size], batch.Long("y").Shape.ToArray());
            Assert.Equal([batch.Size, 3], batch.Long("s").Shape.ToArray());
            var y = batch.Long("y").AsSpan().ToArray();
            seen.AddRange(y);
            var f = batch.Float("f").ToArray();
            var lengths = batch.Lengths("s")!.AsSpan().ToArray();
            for (int i = 0; i < batch.Size; i++)
            {
                Assert.Equal(10f * y[i], f[2 * i + 1]);
                Assert.Equal(1 + y[i] % 3, lengths[i]);
                Assert.Equal(y[i], batch.Indices[i]);
            }
            Assert.Null(batch.Lengths("f"));
        }
        Assert.Equal([4, 4, 2], sizes);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen);
    }

    [Fact]
    public void DropLastDropsTheIncompleteBatch()
    {
        using var loader = new DataLoader(Numbered(), 4, dropLast: true);
        Assert.Equal(2, loader.BatchCount);
        Assert.Equal([4, 4], loader.Epoch().Select(b => b.Size).ToArray());
    }

    [Fact]
    public void ShufflingIsSeededAndDiffersPerEpoch()
    {
        static List<long[]> Epochs(ulong seed)
        {
            using var loader = new DataLoader(Numbered(), 4, shuffle: true, random: new RandomSource(seed));
            return Enumerable.Range(0, 2).Select(_ => loader.Epoch().SelectMany(b => b.Long("y").AsSpan().ToArray()).ToArray()).ToList();
        }
        var a = Epochs(11);
        var b = Epochs(11);
        Assert.Equal(a[0], b[0]);
        Assert.Equal(a[1], b[1]);
        Assert.NotEqual(a[0], a[1]);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), a[0].Order());
        Assert.NotEqual(a[0], Epochs(12)[0]);
    }

    [Fact]
    public void ASteadyStateEpochAllocatesNoDataArrays()
    {
        // 4096 samples of 256 floats: a batch of 64 is 64 KiB of floats, 64 epochs' batches would be 4 MiB.
        var data = new Dataset(
        [
            DataColumn.FromFloats("x", new float[4096 * 256], [256]),
            DataColumn.FromLongs("y", new long[4096], []),
        ]);
        using var loader = new DataLoader(data, 64, shuffle: true, random: new RandomSource(1));
        foreach (var _ in loader.Epoch()) { }
        long before = GC.GetAllocatedBytesForCurrentThread();
        int samples = 0;
        foreach (var batch in loader.Epoch()) samples += batch.Size;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(4096, samples);
        Assert.True(allocated < 4 * 1024, $"a steady-state epoch of 64 batches allocated {allocated} bytes");
    }

    [Fact]
    public void BatchesReuseTheirTensors()
    {
        using var loader = new DataLoader(Numbered(8), 4);
        var batches = loader.Epoch().Select(b => (b.Float("f"), b.Long("y"))).ToList();
        Assert.Same(batches[0].Item1, batches[1].Item1);
        Assert.Same(batches[0].Item2, batches[1].Item2);
    }

    [Fact]
    public void UnknownColumnsAreNamed()
    {
        using var loader = new DataLoader(Numbered(), 4);
        var batch = loader.Epoch().First();
        Assert.Equal("The batch has no float32 column 'y' (float32 columns: f).", Assert.Throws<KeyNotFoundException>(() => batch.Float("y")).Message);
        Assert.Equal("The batch has no int64 column 'f' (int64 columns: y, s).", Assert.Throws<KeyNotFoundException>(() => batch.Long("f")).Message);
    }
}
