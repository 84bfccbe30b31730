using System.Text.Json;
using Fusion.Runtime.Nn;
using static Fusion.Runtime.Tests.SequenceOpsAssert;

namespace Fusion.Runtime.Tests;

/// <summary>
/// Conv1d over batch-first sequences (with lengths) and Conv2d over images: known kernels, finite
/// differences, padding invariance, the modules' keys and initialisation, and parity with torch 1.13.
/// </summary>
public class ConvolutionTests
{
    [Fact]
    public void Conv1dWithAKnownKernel()
    {
        // One channel: y[t] = x[t - 1] - x[t] + 0.5 with one zero of padding on each side.
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4, 1);
        var y = Tensor.Conv1d(x, Tensor.FromArray([1f, -1f], 1, 1, 2), Tensor.FromArray([0.5f]), padding: 1);
        Assert.Equal([1, 5, 1], y.Shape.ToArray());
        Assert.Equal([-0.5f, -0.5f, -0.5f, -0.5f, 4.5f], y.ToArray());

        // Two channels, steps then channels: y[t, 0] = x[t, 0] + x[t + 1, 1]; y[t, 1] = 2 x[t + 1, 0].
        var x2 = Tensor.FromArray([1f, 10f, 2f, 20f, 3f, 30f], 1, 3, 2);
        var w2 = Tensor.FromArray([1f, 0f, 0f, 1f, 0f, 2f, 0f, 0f], 2, 2, 2);
        Assert.Equal([21f, 4f, 32f, 6f], Tensor.Conv1d(x2, w2).ToArray());

        // Stride 2: windows at steps 0, 2 of five.
        var x3 = Tensor.FromArray([1f, 2f, 3f, 4f, 5f], 1, 5, 1);
        Assert.Equal([3f, 7f], Tensor.Conv1d(x3, Tensor.FromArray([1f, 1f], 1, 1, 2), stride: 2).ToArray());
    }

    [Fact]
    public void Conv1dOutputLengthsFollowTheWindowFormula()
    {
        var lengths = LongTensor.FromArray([7, 3, 1, 0], 4);
        Assert.Equal([3L, 1L, 0L, 0L], Tensor.Conv1dLengths(lengths, kernel: 3, stride: 2).ToArray());
        Assert.Equal([4L, 2L, 1L, 0L], Tensor.Conv1dLengths(lengths, kernel: 3, stride: 2, padding: 1).ToArray());
        var x = Tensor.Randn(new RandomSource(1), 4, 7, 2);
        var conv = new Conv1d(2, 3, 3, new RandomSource(2), stride: 2, padding: 1);
        var (y, outLengths) = conv.Forward(x, lengths);
        Assert.Equal([4, 4, 3], y.Shape.ToArray());
        Assert.Equal([4L, 2L, 1L, 0L], outLengths.ToArray());
        var values = y.ToArray();
        for (int b = 0; b < 4; b++)
            for (int t = (int)outLengths[b]; t < 4; t++)
                for (int c = 0; c < 3; c++) Assert.Equal(0f, values[(b * 4 + t) * 3 + c]);
    }

    [Fact]
    public void Conv1dGradients() =>
        GradientChecker.Check(t => Tensor.Conv1d(t[0], t[1], t[2], stride: 2, padding: 1), [3, 7, 2], [4, 2, 3], [4]);

    [Fact]
    public void Conv1dGradientsWithLengths() =>
        GradientChecker.Check(t => Tensor.Conv1d(t[0], t[1], t[2], stride: 1, padding: 2, lengths: LongTensor.FromArray([6, 2, 4], 3)), [3, 6, 2], [3, 2, 3], [3]);

    [Fact]
    public void Conv1dModuleGradients()
    {
        var conv = new Conv1d(3, 2, 2, new RandomSource(3), bias: true);
        GradientChecker.Check(t => conv.Forward(t[0]), [Tensor.Randn(new RandomSource(4), 2, 5, 3), .. conv.Parameters()]);
    }

    [Fact]
    public void Conv1dPaddingChangesNoValidOutputOrGradient()
    {
        int batch = 3, steps = 6, extra = 4, cin = 2, cout = 3, k = 3, stride = 1, padding = 1;
        int[] lens = [6, 2, 4];
        var lengths = LongTensor.FromArray(lens, batch);
        var w = Tensor.Randn(new RandomSource(5), cout, cin, k).SetRequiresGrad();
        var bias = Tensor.Randn(new RandomSource(6), cout).SetRequiresGrad();
        var garbage = Values(7, batch * (steps + extra) * cin, 100f);
        var valid = Values(8, batch * (steps + extra) * cin);

        (float[] Y, float[] Dx, float[] Dw, float[] Db) Evaluate(int n)
        {
            var data = new float[batch * n * cin];
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < n; t++)
                    for (int c = 0; c < cin; c++)
                        data[(b * n + t) * cin + c] = (t < lens[b] ? valid : garbage)[(b * (steps + extra) + t) * cin + c];
            var x = Tensor.FromArray(data, batch, n, cin).SetRequiresGrad();
            w.Grad = null;
            bias.Grad = null;
            var y = Tensor.Conv1d(x, w, bias, stride, padding, lengths);
            var weight = Tensor.Uniform(new RandomSource(9), 0.5f, 1.5f, batch, steps + extra, cout).Slice(1, 0, y.Size(1));
            (y * weight).Sum().Backward();
            return (y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), bias.Grad!.ToArray());
        }

        var (ys, dxs, dws, dbs) = Evaluate(steps);
        var (yl, dxl, dwl, dbl) = Evaluate(steps + extra);
        int outShort = ys.Length / (batch * cout), outLong = yl.Length / (batch * cout);
        var outLens = Tensor.Conv1dLengths(lengths, k, stride, padding).ToArray();
        for (int b = 0; b < batch; b++)
        {
            Close(ys.AsSpan(b * outShort * cout, (int)outLens[b] * cout), yl.AsSpan(b * outLong * cout, (int)outLens[b] * cout), 1e-6, 1e-5, $"outputs of sample {b}");
            Close(dxs.AsSpan(b * steps * cin, lens[b] * cin), dxl.AsSpan(b * (steps + extra) * cin, lens[b] * cin), 1e-6, 1e-5, $"input gradient of sample {b}");
            Assert.All(dxl.AsSpan((b * (steps + extra) + lens[b]) * cin, (steps + extra - lens[b]) * cin).ToArray(), v => Assert.Equal(0f, v));
        }
        Close(dws, dwl, 1e-5, 1e-5, "weight gradient");
        Close(dbs, dbl, 1e-5, 1e-5, "bias gradient");
    }

    [Fact]
    public void Conv2dWithAKnownKernel()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], 1, 1, 3, 3);
        var ones = Tensor.Ones(1, 1, 2, 2);
        Assert.Equal([12f, 16f, 24f, 28f], Tensor.Conv2d(x, ones).ToArray());
        // Padding 1, stride 2: windows at (-1, -1), (-1, 1), (1, -1), (1, 1); plus a bias of 1.
        Assert.Equal([2f, 6f, 12f, 29f], Tensor.Conv2d(x, ones, Tensor.FromArray([1f]), stride: 2, padding: 1).ToArray());
        // Two output channels: identity at the top-left tap and the negated bottom-right tap.
        var w = Tensor.FromArray([1f, 0f, 0f, 0f, 0f, 0f, 0f, -1f], 2, 1, 2, 2);
        Assert.Equal([1f, 2f, 4f, 5f, -5f, -6f, -8f, -9f], Tensor.Conv2d(x, w).ToArray());
    }

    [Fact]
    public void Conv2dGradients() =>
        GradientChecker.Check(t => Tensor.Conv2d(t[0], t[1], t[2], (2, 1), (1, 0)), [2, 2, 5, 4], [3, 2, 3, 2], [3]);

    [Fact]
    public void Conv2dModuleKeysInitialisationAndGradients()
    {
        var conv = new Conv2d(2, 4, 3, new RandomSource(10), padding: 1);
        Assert.Equal(["weight", "bias"], conv.StateDict().Keys);
        Assert.Equal([4, 2, 3, 3], conv.Weight.Shape.ToArray());
        float bound = 1f / MathF.Sqrt(18);                                      // kaiming_uniform(a = sqrt 5) and the bias: 1/sqrt(fan_in)
        Assert.All(conv.Weight.ToArray().Concat(conv.Bias!.ToArray()), v => Assert.InRange(v, -bound, bound));
        GradientChecker.Check(t => conv.Forward(t[0]), [Tensor.Randn(new RandomSource(11), 1, 2, 4, 3), .. conv.Parameters()]);
    }

    [Fact]
    public void ConvolutionsRejectMismatchedShapes()
    {
        Assert.Throws<ArgumentException>(() => Tensor.Conv1d(Tensor.Zeros(1, 4, 3), Tensor.Zeros(2, 2, 3)));
        Assert.Throws<ArgumentException>(() => Tensor.Conv1d(Tensor.Zeros(1, 2, 3), Tensor.Zeros(2, 3, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv1d(Tensor.Zeros(1, 4, 3), Tensor.Zeros(2, 3, 3), lengths: LongTensor.FromArray([5], 1)));
        Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(2, 3, 3, 3)));
    }

    private const string TorchScript = """
        import json, sys, torch
        import torch.nn.functional as F
        d = json.load(sys.stdin)
        out = {}
        x = torch.tensor(d["x1"]).reshape(2, 7, 3).requires_grad_()
        w = torch.tensor(d["w1"]).reshape(4, 3, 3).requires_grad_()
        b = torch.tensor(d["b1"]).requires_grad_()
        y = F.conv1d(x.transpose(1, 2), w, b, stride=2, padding=1).transpose(1, 2)
        (y * torch.tensor(d["g1"]).reshape(y.shape)).sum().backward()
        out["conv1d"] = [y.flatten().tolist(), x.grad.flatten().tolist(), w.grad.flatten().tolist(), b.grad.tolist()]
        x = torch.tensor(d["x2"]).reshape(2, 3, 6, 5).requires_grad_()
        w = torch.tensor(d["w2"]).reshape(4, 3, 3, 2).requires_grad_()
        b = torch.tensor(d["b2"]).requires_grad_()
        y = F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2))
        (y * torch.tensor(d["g2"]).reshape(y.shape)).sum().backward()
        out["conv2d"] = [list(y.shape), y.flatten().tolist(), x.grad.flatten().tolist(), w.grad.flatten().tolist(), b.grad.tolist()]
        print(json.dumps(out))
        """;

    [TorchFact]
    public void ValuesAndGradientsMatchTorch()
    {
        float[] x1 = Values(20, 42), w1 = Values(21, 36), b1 = Values(22, 4), g1 = Values(23, 2 * 4 * 4);
        float[] x2 = Values(24, 180), w2 = Values(25, 72), b2 = Values(26, 4), g2 = Values(27, 2 * 4 * 3 * 8);
        var r = TorchReference.Run(TorchScript, JsonSerializer.Serialize(new { x1, w1, b1, g1, x2, w2, b2, g2 }));

        var x = Tensor.FromArray(x1, 2, 7, 3).SetRequiresGrad();
        var w = Tensor.FromArray(w1, 4, 3, 3).SetRequiresGrad();
        var b = Tensor.FromArray(b1).SetRequiresGrad();
        var y = Tensor.Conv1d(x, w, b, stride: 2, padding: 1);
        (y * Tensor.FromArray(g1, y.Shape)).Sum().Backward();
        var c1 = r.GetProperty("conv1d");
        Close(c1[0], y, 1e-5, 1e-5, "conv1d y");
        Close(c1[1], x.Grad!, 1e-5, 1e-5, "conv1d dx");
        Close(c1[2], w.Grad!, 1e-5, 1e-5, "conv1d dw");
        Close(c1[3], b.Grad!, 1e-5, 1e-5, "conv1d db");

        var xi = Tensor.FromArray(x2, 2, 3, 6, 5).SetRequiresGrad();
        var wi = Tensor.FromArray(w2, 4, 3, 3, 2).SetRequiresGrad();
        var bi = Tensor.FromArray(b2).SetRequiresGrad();
        var yi = Tensor.Conv2d(xi, wi, bi, (2, 1), (1, 2));
        var c2 = r.GetProperty("conv2d");
        Assert.Equal(c2[0].EnumerateArray().Select(v => v.GetInt32()), yi.Shape.ToArray());
        (yi * Tensor.FromArray(g2, yi.Shape)).Sum().Backward();
        Close(c2[1], yi, 1e-5, 1e-5, "conv2d y");
        Close(c2[2], xi.Grad!, 1e-5, 1e-5, "conv2d dx");
        Close(c2[3], wi.Grad!, 1e-5, 1e-5, "conv2d dw");
        Close(c2[4], bi.Grad!, 1e-5, 1e-5, "conv2d db");
    }
}
