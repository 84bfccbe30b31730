using System.Text.Json;
using static Fusion.Runtime.Tests.SequenceOpsAssert;

namespace Fusion.Runtime.Tests;

/// <summary>
/// Max and average pooling over sequence steps (with lengths) and image windows, and global pooling:
/// known arrays, finite differences, padding invariance and parity with torch 1.13.
/// </summary>
public class PoolingTests
{
    // Steps then channels: channel 0 is 1, 5, 2, 4, 3; channel 1 is -1 .. -5.
    private static Tensor Sequence() => Tensor.FromArray([1f, -1f, 5f, -2f, 2f, -3f, 4f, -4f, 3f, -5f], 1, 5, 2);

    private static Tensor Image() => Tensor.Arange(1f, 17f).Reshape(1, 1, 4, 4);

    [Fact]
    public void Pool1dOfAKnownArray()
    {
        Assert.Equal([5f, -1f, 4f, -3f], Tensor.MaxPool1d(Sequence(), 2).ToArray());
        Assert.Equal([3f, -1.5f, 3f, -3.5f], Tensor.AvgPool1d(Sequence(), 2).ToArray());
        Assert.Equal([5f, -1f, 5f, -2f, 4f, -3f], Tensor.MaxPool1d(Sequence(), 3, stride: 1).ToArray());
        Assert.Equal([2, 2], Tensor.AvgPool1d(Sequence(), 2, stride: 3).Shape[1..].ToArray());
    }

    [Fact]
    public void Pool1dWithLengthsZeroesWindowsPastTheEnd()
    {
        var x = Tensor.Concat(0, Sequence(), Sequence());
        var lengths = LongTensor.FromArray([5, 3], 2);
        Assert.Equal([2L, 1L], Tensor.Pool1dLengths(lengths, 2).ToArray());
        Assert.Equal([5f, -1f, 4f, -3f, 5f, -1f, 0f, 0f], Tensor.MaxPool1d(x, 2, lengths: lengths).ToArray());
        Assert.Equal([3f, -1.5f, 3f, -3.5f, 3f, -1.5f, 0f, 0f], Tensor.AvgPool1d(x, 2, lengths: lengths).ToArray());
        Assert.Equal([0L, 1L, 3L], Tensor.Pool1dLengths(LongTensor.FromArray([1, 3, 7], 3), 3, 2).ToArray());
    }

    [Fact]
    public void Pool2dOfAKnownArray()
    {
        Assert.Equal([6f, 8f, 14f, 16f], Tensor.MaxPool2d(Image(), 2).ToArray());
        Assert.Equal([3.5f, 5.5f, 11.5f, 13.5f], Tensor.AvgPool2d(Image(), 2).ToArray());
        Assert.Equal([11f, 12f, 15f, 16f], Tensor.MaxPool2d(Image(), 3, stride: 1).ToArray());
        Assert.Equal([5f, 8f, 13f, 16f], Tensor.MaxPool2d(Image(), (2, 1), (2, 3)).ToArray());
    }

    [Fact]
    public void GlobalPoolingOfKnownArrays()
    {
        var x = Tensor.Concat(0, Sequence(), Sequence(), Sequence());
        var lengths = LongTensor.FromArray([5, 2, 0], 3);
        Assert.Equal([5f, -1f, 5f, -1f, 0f, 0f], Tensor.GlobalMaxPool(x, lengths).ToArray());
        Assert.Equal([3f, -3f, 3f, -1.5f, 0f, 0f], Tensor.GlobalAvgPool(x, lengths).ToArray());
        Assert.Equal([16f], Tensor.GlobalMaxPool(Image()).ToArray());
        Assert.Equal([8.5f], Tensor.GlobalAvgPool(Image()).ToArray());
        Assert.Throws<ArgumentException>(() => Tensor.GlobalAvgPool(Image(), LongTensor.FromArray([1], 1)));
    }

    [Fact] public void MaxPool1dGradients() => GradientChecker.Check(t => Tensor.MaxPool1d(t[0], 3, 2), [2, 7, 3]);

    [Fact]
    public void Pool1dGradientsWithLengths()
    {
        var lengths = LongTensor.FromArray([6, 3, 1], 3);
        GradientChecker.Check(t => Tensor.AvgPool1d(t[0], 2, 1, lengths), [3, 6, 2]);
        GradientChecker.Check(t => Tensor.MaxPool1d(t[0], 2, 1, lengths), [3, 6, 2]);
    }

    [Fact] public void MaxPool2dGradients() => GradientChecker.Check(t => Tensor.MaxPool2d(t[0], (2, 3), (1, 2)), [2, 2, 4, 7]);
    [Fact] public void AvgPool2dGradients() => GradientChecker.Check(t => Tensor.AvgPool2d(t[0], (3, 2), (2, 1)), [2, 2, 5, 4]);

    [Fact]
    public void GlobalPoolingGradients()
    {
        var lengths = LongTensor.FromArray([4, 1, 0], 3);
        GradientChecker.Check(t => Tensor.GlobalMaxPool(t[0], lengths), [3, 4, 2]);
        GradientChecker.Check(t => Tensor.GlobalAvgPool(t[0], lengths), [3, 4, 2]);
        GradientChecker.Check(t => Tensor.GlobalMaxPool(t[0]), [2, 3, 2, 3]);
        GradientChecker.Check(t => Tensor.GlobalAvgPool(t[0]), [2, 3, 2, 3]);
    }

    [Theory]
    [InlineData("max")]
    [InlineData("avg")]
    [InlineData("global_max")]
    [InlineData("global_avg")]
    public void PaddingChangesNoValidOutputOrGradient(string op)
    {
        int batch = 3, steps = 6, extra = 3, width = 2;
        int[] lens = [6, 3, 4];
        var lengths = LongTensor.FromArray(lens, batch);
        Func<Tensor, Tensor> f = op switch
        {
            "max" => x => Tensor.MaxPool1d(x, 2, 1, lengths),
            "avg" => x => Tensor.AvgPool1d(x, 2, 1, lengths),
            "global_max" => x => Tensor.GlobalMaxPool(x, lengths),
            _ => x => Tensor.GlobalAvgPool(x, lengths),
        };
        var valid = Values(1, batch * (steps + extra) * width);
        var garbage = Values(2, batch * (steps + extra) * width, 100f);

        (float[] Y, float[] Dx) Evaluate(int n)
        {
            var data = new float[batch * n * width];
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < n; t++)
                    for (int c = 0; c < width; c++)
                        data[(b * n + t) * width + c] = (t < lens[b] ? valid : garbage)[(b * (steps + extra) + t) * width + c];
            var x = Tensor.FromArray(data, batch, n, width).SetRequiresGrad();
            var y = f(x);
            var weight = y.Rank == 2
                ? Tensor.Uniform(new RandomSource(3), 0.5f, 1.5f, y.Shape)
                : Tensor.Uniform(new RandomSource(3), 0.5f, 1.5f, batch, steps + extra, width).Slice(1, 0, y.Size(1));
            (y * weight).Sum().Backward();
            return (y.Rank == 2 ? y.ToArray() : y.Slice(1, 0, Math.Min(y.Size(1), steps - 1)).ToArray(), x.Grad!.ToArray());
        }

        var (ys, dxs) = Evaluate(steps);
        var (yl, dxl) = Evaluate(steps + extra);
        Close(ys, yl, 0, 0, "outputs at valid steps");
        for (int b = 0; b < batch; b++)
        {
            Close(dxs.AsSpan(b * steps * width, lens[b] * width), dxl.AsSpan(b * (steps + extra) * width, lens[b] * width), 1e-6, 1e-6, $"input gradient of sample {b}");
            Assert.All(dxl.AsSpan((b * (steps + extra) + lens[b]) * width, (steps + extra - lens[b]) * width).ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void MaxPoolingStepRentsItsBuffersFromThePool()
    {
        var x = Tensor.Randn(new RandomSource(4), 8, 8, 32, 32).SetRequiresGrad();   // 256 KiB of data, 64 KiB of output
        long Step()
        {
            using var scope = Tensor.NewScope();
            long before = GC.GetAllocatedBytesForCurrentThread();
            Tensor.GlobalMaxPool(Tensor.MaxPool2d(x, 2)).Sum().Backward();
            x.Grad = null;
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        for (int i = 0; i < 3; i++) Step();
        long allocated = Step();
        Assert.True(allocated < 16 * 1024, $"a max-pooling step allocated {allocated} managed bytes");
    }

    private const string TorchScript = """
        import json, sys, torch
        import torch.nn.functional as F
        d = json.load(sys.stdin)
        out = {}
        def run(name, x, f):
            x = x.clone().requires_grad_()
            y = f(x)
            (y * torch.tensor(d["g_" + name]).reshape(y.shape)).sum().backward()
            out[name] = [list(y.shape), y.flatten().tolist(), x.grad.flatten().tolist()]
        seq = torch.tensor(d["seq"]).reshape(2, 9, 3)
        img = torch.tensor(d["img"]).reshape(2, 3, 7, 6)
        run("max1d", seq, lambda x: F.max_pool1d(x.transpose(1, 2), 3, 2).transpose(1, 2))
        run("avg1d", seq, lambda x: F.avg_pool1d(x.transpose(1, 2), 2, 3).transpose(1, 2))
        run("max2d", img, lambda x: F.max_pool2d(x, (3, 2), (2, 1)))
        run("avg2d", img, lambda x: F.avg_pool2d(x, (2, 3), (1, 2)))
        run("gmax", img, lambda x: x.amax(dim=(2, 3)))
        run("gavg", seq, lambda x: x.mean(dim=1))
        print(json.dumps(out))
        """;

    [TorchFact]
    public void ValuesAndGradientsMatchTorch()
    {
        float[] seq = Values(10, 54), img = Values(11, 252);
        var ours = new Dictionary<string, (Tensor X, Func<Tensor, Tensor> F)>
        {
            ["max1d"] = (Tensor.FromArray(seq, 2, 9, 3), x => Tensor.MaxPool1d(x, 3, 2)),
            ["avg1d"] = (Tensor.FromArray(seq, 2, 9, 3), x => Tensor.AvgPool1d(x, 2, 3)),
            ["max2d"] = (Tensor.FromArray(img, 2, 3, 7, 6), x => Tensor.MaxPool2d(x, (3, 2), (2, 1))),
            ["avg2d"] = (Tensor.FromArray(img, 2, 3, 7, 6), x => Tensor.AvgPool2d(x, (2, 3), (1, 2))),
            ["gmax"] = (Tensor.FromArray(img, 2, 3, 7, 6), x => Tensor.GlobalMaxPool(x)),
            ["gavg"] = (Tensor.FromArray(seq, 2, 9, 3), x => Tensor.GlobalAvgPool(x)),
        };
        var seeds = new Dictionary<string, float[]>();
        ulong seed = 20;
        foreach (var (name, (x, f)) in ours)
        {
            using (Tensor.NoGrad()) seeds["g_" + name] = Values(seed++, f(x).Numel);
        }
        var input = new Dictionary<string, float[]>(seeds) { ["seq"] = seq, ["img"] = img };
        var r = TorchReference.Run(TorchScript, JsonSerializer.Serialize(input));
        foreach (var (name, (x, f)) in ours)
        {
            var leaf = x.SetRequiresGrad();
            var y = f(leaf);
            var expected = r.GetProperty(name);
            Assert.Equal(expected[0].EnumerateArray().Select(v => v.GetInt32()), y.Shape.ToArray());
            (y * Tensor.FromArray(seeds["g_" + name], y.Shape)).Sum().Backward();
            Close(expected[1], y, 1e-6, 1e-5, name + " y");
            Close(expected[2], leaf.Grad!, 1e-6, 1e-5, name + " dx");
        }
    }
}
