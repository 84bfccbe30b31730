namespace Fusion.Runtime.Tests;

/// <summary>
/// Broadcast, strided and reduction kernels against a naive per-index reference, over random
/// shapes and random views (permuted, sliced, expanded operands).
/// </summary>
public class TensorStridedKernelFuzzTests
{
    private static int[] Unravel(int flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    /// <summary>A random view with the given logical shape: built from a bigger tensor by permuting and slicing.</summary>
    private static Tensor RandomView(RandomSource rng, int[] shape)
    {
        int rank = shape.Length;
        var perm = rng.Permutation(rank);
        // Base shape in permuted order, with extra room along every dimension for a slice.
        var baseShape = new int[rank];
        var offsets = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            offsets[i] = rng.NextInt(2);
            baseShape[i] = shape[perm[i]] + offsets[i] + rng.NextInt(2);
        }
        var t = rank == 0 ? Tensor.Randn(rng) : Tensor.Randn(rng, baseShape);
        for (int i = 0; i < rank; i++) t = t.Slice(i, offsets[i], offsets[i] + shape[perm[i]]);
        // Undo the permutation so dimension d of the result has size shape[d].
        var inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[perm[i]] = i;
        var view = rank == 0 ? t : t.Permute(inverse);
        Assert.Equal(shape, view.Shape.ToArray());
        return view;
    }

    [Fact]
    public void BroadcastBinaryOpsMatchThePerIndexReference()
    {
        var rng = new RandomSource(31);
        for (int trial = 0; trial < 200; trial++)
        {
            int rank = 1 + rng.NextInt(4);
            var outShape = Enumerable.Range(0, rank).Select(_ => 1 + rng.NextInt(4)).ToArray();
            int[] Operand()
            {
                int r = 1 + rng.NextInt(rank);
                var s = outShape[(rank - r)..].ToArray();
                for (int i = 0; i < r; i++) if (rng.NextInt(3) == 0) s[i] = 1;
                return s;
            }
            var sa = Operand();
            var sb = Operand();
            var a = RandomView(rng, sa);
            var b = RandomView(rng, sb);
            if (rng.NextInt(4) == 0) a = a.Expand(Enumerable.Range(0, rank).Select(i => i < rank - sa.Length ? outShape[i] : (sa[i - (rank - sa.Length)] == 1 ? outShape[i] : -1)).ToArray());
            var sum = a + b;
            var prod = a * b;
            var diff = a - b;
            var expectedShape = sum.Shape.ToArray();
            int outRank = expectedShape.Length;
            for (int e = 0; e < sum.Numel; e++)
            {
                var idx = Unravel(e, expectedShape);
                float av = a[idx[(outRank - a.Rank)..].Select((v, d) => a.Shape[d] == 1 ? 0 : v).ToArray()];
                float bv = b[idx[(outRank - b.Rank)..].Select((v, d) => b.Shape[d] == 1 ? 0 : v).ToArray()];
                Assert.Equal(av + bv, sum[idx]);
                Assert.Equal(av * bv, prod[idx]);
                Assert.Equal(av - bv, diff[idx]);
            }
        }
    }

    [Fact]
    public void ReductionsOverRandomAxesMatchThePerIndexReference()
    {
        var rng = new RandomSource(32);
        for (int trial = 0; trial < 150; trial++)
        {
            int rank = 1 + rng.NextInt(4);
            var shape = Enumerable.Range(0, rank).Select(_ => 1 + rng.NextInt(4)).ToArray();
            var x = RandomView(rng, shape);
            var axes = Enumerable.Range(0, rank).Where(_ => rng.NextInt(2) == 0).ToArray();
            if (axes.Length == 0) axes = [rng.NextInt(rank)];
            var sum = x.Sum(axes, keepDim: true);
            var max = x.Max(axes, keepDim: true);
            var min = x.Min(axes, keepDim: true);
            var expectedSum = new double[sum.Numel];
            var expectedMax = Enumerable.Repeat(double.NegativeInfinity, sum.Numel).ToArray();
            var expectedMin = Enumerable.Repeat(double.PositiveInfinity, sum.Numel).ToArray();
            var keepShape = sum.Shape.ToArray();
            for (int e = 0; e < x.Numel; e++)
            {
                var idx = Unravel(e, shape);
                var outIdx = idx.Select((v, d) => axes.Contains(d) ? 0 : v).ToArray();
                int o = 0;
                for (int d = 0; d < rank; d++) o = o * keepShape[d] + outIdx[d];
                float v = x[idx];
                expectedSum[o] += v;
                expectedMax[o] = Math.Max(expectedMax[o], v);
                expectedMin[o] = Math.Min(expectedMin[o], v);
            }
            var s = sum.ToArray();
            var mx = max.ToArray();
            var mn = min.ToArray();
            for (int o = 0; o < s.Length; o++)
            {
                Assert.True(Math.Abs(expectedSum[o] - s[o]) <= 1e-4, $"trial {trial}: shape [{string.Join(",", shape)}] strides [{string.Join(",", x.Strides.ToArray())}] axes [{string.Join(",", axes)}] out {o}: expected {expectedSum[o]}, got {s[o]}");
                Assert.Equal((float)expectedMax[o], mx[o]);
                Assert.Equal((float)expectedMin[o], mn[o]);
            }
            Assert.Equal(shape.Where((_, d) => !axes.Contains(d)).ToArray(), x.Sum(axes).Shape.ToArray());
        }
    }

    [Fact]
    public void ContiguousCopiesOfRandomViewsMatchTheIndexer()
    {
        var rng = new RandomSource(33);
        for (int trial = 0; trial < 100; trial++)
        {
            int rank = 1 + rng.NextInt(5);
            var shape = Enumerable.Range(0, rank).Select(_ => 1 + rng.NextInt(4)).ToArray();
            var x = RandomView(rng, shape);
            var flat = x.ToArray();
            var c = x.Contiguous();
            Assert.True(c.IsContiguous);
            for (int e = 0; e < flat.Length; e++) Assert.Equal(x[Unravel(e, shape)], flat[e]);
            Assert.Equal(flat, c.AsReadOnlySpan().ToArray());
            Assert.Equal(flat, x.Reshape(-1).ToArray());
        }
    }
}
