using System.Text.Json;
using Fusion.Runtime.Nn;
using static Fusion.Runtime.Tests.AttentionTesting;

namespace Fusion.Runtime.Tests;

/// <summary>
/// TransformerEncoderLayer, TransformerEncoder, CrossModalBlock and the sinusoidal positional
/// encoding: PyTorch keys, finite-difference gradients with padding, padding invariance, dropout,
/// and parity with PyTorch 1.13 (skipped with the reason when torch is absent).
/// </summary>
public class TransformerTests
{
    private static TransformerEncoderLayer Layer(bool normFirst, Activation activation, ulong seed = 5) =>
        (TransformerEncoderLayer)Randomize(new TransformerEncoderLayer(4, 2, new RandomSource(seed), feedForward: 6, activation: activation, normFirst: normFirst), seed + 10).Eval();

    [Fact]
    public void PostNormReluLayerGradientsWithLengths()
    {
        var layer = Layer(false, Activation.Relu);
        var lengths = LongTensor.FromArray([3, 2], 2);
        GradientChecker.Check(x => layer.Forward(x[0], lengths), [.. GradientChecker.Inputs(31, [2, 3, 4]), .. layer.Parameters()]);
    }

    [Fact]
    public void PreNormGeluLayerGradientsWithPaddingAndCausalMask()
    {
        var layer = Layer(true, Activation.Gelu);
        var padding = PaddingFromLengths([3, 2], 3);
        GradientChecker.Check(x => layer.Forward(x[0], padding, AttentionMask.Causal(3)), [.. GradientChecker.Inputs(32, [2, 3, 4]), .. layer.Parameters()]);
    }

    [Fact]
    public void TwoLayerEncoderGradients()
    {
        var encoder = (TransformerEncoder)Randomize(new TransformerEncoder(2, 4, 2, new RandomSource(6), feedForward: 5, activation: Activation.Gelu), 16).Eval();
        var lengths = LongTensor.FromArray([2, 3], 2);
        GradientChecker.Check(x => encoder.Forward(x[0], lengths), [.. GradientChecker.Inputs(33, [2, 3, 4]), .. encoder.Parameters()]);
    }

    [Fact]
    public void CrossModalBlockGradientsWithSourceLengths()
    {
        var block = (CrossModalBlock)Randomize(new CrossModalBlock(4, 2, new RandomSource(7)), 17).Eval();
        var lengths = LongTensor.FromArray([4, 1], 2);
        var inputs = GradientChecker.Inputs(34, [2, 2, 4], [2, 4, 4]);
        GradientChecker.Check(x => block.Forward(x[0], x[1], lengths), [.. inputs, .. block.Parameters()]);
    }

    [Fact]
    public void StateDictKeysArePyTorchs()
    {
        string[] attention = ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"];
        string[] layerKeys = [.. attention.Select(k => "self_attn." + k), "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
            "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"];
        var layer = new TransformerEncoderLayer(8, 2, new RandomSource(1), feedForward: 16);
        Assert.Equal(layerKeys, layer.StateDict().Keys.ToArray());
        Assert.Equal([16, 8], layer.StateDict()["linear1.weight"].Shape.ToArray());
        Assert.Equal([8, 16], layer.StateDict()["linear2.weight"].Shape.ToArray());

        var encoder = new TransformerEncoder(2, 8, 2, new RandomSource(1), feedForward: 16);
        Assert.Equal([.. layerKeys.Select(k => "layers.0." + k), .. layerKeys.Select(k => "layers.1." + k)], encoder.StateDict().Keys.ToArray());
        Assert.NotEqual(encoder.Layers[0].Linear1.Weight.ToArray(), encoder.Layers[1].Linear1.Weight.ToArray());

        var block = new CrossModalBlock(6, 3, new RandomSource(1));
        Assert.Equal(["norm_q.weight", "norm_q.bias", "norm_kv.weight", "norm_kv.bias", "norm_ff.weight", "norm_ff.bias",
            .. attention.Select(k => "attn." + k), "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"], block.StateDict().Keys.ToArray());
        Assert.Equal([24, 6], block.Linear1.Weight.Shape.ToArray());
        Assert.Equal([6, 24], block.Linear2.Weight.Shape.ToArray());
        Assert.Empty(new SinusoidalPositionalEncoding(6).StateDict());
    }

    [Fact]
    public void PaddedPositionsNeverInfluenceValidOnes()
    {
        var encoder = (TransformerEncoder)Randomize(new TransformerEncoder(2, 4, 2, new RandomSource(8), feedForward: 6), 18).Eval();
        int[] lengths = [3, 1];
        var rng = new RandomSource(40);
        var x = Tensor.Randn(rng, 2, 3, 4);
        var (y0, dx0, dw0) = RunValid(encoder, x, lengths);

        var padded = Tensor.Concat(1, x, Tensor.Randn(rng, 2, 2, 4) * 50f).Contiguous();
        for (int j = 0; j < 4; j++) padded.AsSpan()[(1 * 5 + 1) * 4 + j] = -1e3f;   // garble an already padded step
        var (y1, dx1, dw1) = RunValid(encoder, padded, lengths);

        Same(Valid(y0, 3, lengths), Valid(y1, 5, lengths), "valid outputs", 1e-5, 1e-5);
        Same(Valid(dx0, 3, lengths), Valid(dx1, 5, lengths), "valid input gradients", 1e-5, 1e-5);
        for (int b = 0; b < 2; b++)
            for (int n = lengths[b]; n < 5; n++)
                for (int j = 0; j < 4; j++) Assert.Equal(0f, dx1[(b * 5 + n) * 4 + j]);
        Same(dw0, dw1, "parameter gradients", 1e-5, 1e-4);
    }

    /// <summary>The valid steps of a [B, steps, 4] array, in order.</summary>
    private static float[] Valid(float[] values, int steps, int[] lengths) =>
        [.. lengths.SelectMany((length, b) => values.Skip(b * steps * 4).Take(length * 4))];

    /// <summary>Output, input gradient and every parameter gradient of a loss over the valid positions only.</summary>
    private static (float[] Y, float[] Dx, float[] DParams) RunValid(TransformerEncoder encoder, Tensor x, int[] lengths)
    {
        x = x.Detach().SetRequiresGrad();
        encoder.ZeroGrad();
        var y = encoder.Forward(x, LongTensor.FromArray(lengths, lengths.Length));
        var weights = new float[y.Numel];
        var w = Values(77, y.Numel);
        int n = y.Size(1), d = y.Size(2);
        for (int b = 0; b < lengths.Length; b++)
            for (int t = 0; t < lengths[b]; t++)
                for (int j = 0; j < d; j++) weights[(b * n + t) * d + j] = w[(t * lengths.Length + b) * d + j];
        (y * Tensor.FromArray(weights, y.Shape)).Sum().Backward();
        return (y.ToArray(), x.Grad!.ToArray(), encoder.Parameters().SelectMany(p => p.Grad!.ToArray()).ToArray());
    }

    [Fact]
    public void CrossModalBlockIgnoresPaddedSourceSteps()
    {
        var block = (CrossModalBlock)Randomize(new CrossModalBlock(4, 2, new RandomSource(9)), 19).Eval();
        var rng = new RandomSource(41);
        var target = Tensor.Randn(rng, 2, 3, 4);
        var source = Tensor.Randn(rng, 2, 2, 4);
        var lengths = LongTensor.FromArray([2, 1], 2);
        var y0 = block.Forward(target, source, lengths).ToArray();
        var longer = Tensor.Concat(1, source, Tensor.Randn(rng, 2, 4, 4) * 30f);
        var y1 = block.Forward(target, longer, lengths).ToArray();
        Same(y0, y1, "cross-modal output", 1e-5, 1e-5);
        Assert.NotEqual(y0, block.Forward(target, longer).ToArray());   // unmasked, the garbage does matter
    }

    [Fact]
    public void DropoutIsActiveInTrainingOnly()
    {
        var layer = new TransformerEncoderLayer(4, 2, new RandomSource(3), feedForward: 8, dropout: 0.3f);
        var plain = new TransformerEncoderLayer(4, 2, new RandomSource(4), feedForward: 8, dropout: 0f);
        plain.LoadStateDict(layer.StateDict());
        var x = Tensor.Randn(new RandomSource(5), 2, 3, 4);
        var train = layer.Forward(x).ToArray();
        Assert.NotEqual(plain.Forward(x).ToArray(), train);
        Assert.NotEqual(train, layer.Forward(x).ToArray());             // fresh masks per call
        layer.Eval();
        Assert.Equal(plain.Forward(x).ToArray(), layer.Forward(x).ToArray());
        Assert.False(layer.SelfAttention.IsTraining);
    }

    [Fact]
    public void SinusoidalEncodingFollowsTheFormula()
    {
        const int d = 7;
        var pe = new SinusoidalPositionalEncoding(d);
        var x = Tensor.Randn(new RandomSource(2), 2, 5, d);
        var y = pe.Forward(x);
        for (int b = 0; b < 2; b++)
            for (int pos = 0; pos < 5; pos++)
                for (int i = 0; 2 * i < d; i++)
                {
                    double angle = pos / Math.Pow(10000, 2.0 * i / d);
                    Assert.Equal(x[b, pos, 2 * i] + Math.Sin(angle), y[b, pos, 2 * i], 5);
                    if (2 * i + 1 < d) Assert.Equal(x[b, pos, 2 * i + 1] + Math.Cos(angle), y[b, pos, 2 * i + 1], 5);
                }
        var table = SinusoidalPositionalEncoding.Table(3, 4);
        Assert.Equal([0f, 1f, 0f, 1f], table.Slice(0, 0, 1).ToArray());
        Assert.Equal((float)Math.Cos(2 / 100.0), table[2, 3], 6);
        // A longer sequence extends the table; a shorter one reuses its first rows.
        var longer = Tensor.Zeros(1, 40, d);
        Assert.Equal(SinusoidalPositionalEncoding.Table(40, d).ToArray(), pe.Forward(longer).Reshape(40, d).ToArray());
        Assert.Equal(y.ToArray(), pe.Forward(x).ToArray());
        GradientChecker.Check(t => pe.Forward(t[0]), [2, 3, d]);
    }

    private const string TorchScript = """
        import json, sys, torch
        import torch.nn as nn
        import torch.nn.functional as F
        d = json.load(sys.stdin)
        D, H, FF, B, N, S = d["dims"]
        def load(m, state):
            own = m.state_dict()
            m.load_state_dict({k: torch.tensor(v).reshape(own[k].shape) for k, v in state.items()}, strict=True)
            m.eval()
        def padding(lengths, n): return torch.arange(n)[None, :] >= torch.tensor(lengths)[:, None]
        G = torch.tensor(d["g"]).reshape(B, N, D)
        def run(m, call):
            x = torch.tensor(d["x"]).reshape(B, N, D).requires_grad_()
            y = call(m, x)
            (y * G).sum().backward()
            return {"y": y.flatten().tolist(), "dx": x.grad.flatten().tolist(), "params": {k: p.grad.flatten().tolist() for k, p in m.named_parameters()}}
        mask = padding(d["lengths"], N)
        out = {}
        post = nn.TransformerEncoderLayer(D, H, FF, dropout=0.1, batch_first=True); load(post, d["post"])
        out["post"] = run(post, lambda m, x: m(x, src_key_padding_mask=mask))
        pre = nn.TransformerEncoderLayer(D, H, FF, dropout=0.1, activation="gelu", norm_first=True, batch_first=True); load(pre, d["pre"])
        out["pre"] = run(pre, lambda m, x: m(x, src_key_padding_mask=mask))
        enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, H, FF, dropout=0.1, batch_first=True), 2, enable_nested_tensor=False); load(enc, d["enc"])
        out["enc"] = run(enc, lambda m, x: m(x, src_key_padding_mask=mask))
        # MulT's pre-LN cross-modal block, composed from torch modules under the spec's names
        block = nn.ModuleDict({"norm_q": nn.LayerNorm(D), "norm_kv": nn.LayerNorm(D), "norm_ff": nn.LayerNorm(D),
                               "attn": nn.MultiheadAttention(D, H, dropout=0.1, batch_first=True),
                               "linear1": nn.Linear(D, 4 * D), "linear2": nn.Linear(4 * D, D)}); load(block, d["cross"])
        src = torch.tensor(d["src"]).reshape(B, S, D).requires_grad_()
        def cross(m, x):
            kv = m["norm_kv"](src)
            x = x + m["attn"](m["norm_q"](x), kv, kv, key_padding_mask=padding(d["src_lengths"], S), need_weights=False)[0]
            return x + m["linear2"](F.relu(m["linear1"](m["norm_ff"](x))))
        out["cross"] = run(block, cross)
        out["cross"]["dsrc"] = src.grad.flatten().tolist()
        print(json.dumps(out))
        """;

    [TorchFact]
    public void MatchesTorch()
    {
        const int dm = 8, h = 2, ff = 16, b = 2, n = 5, s = 3;
        int[] lengths = [5, 3], srcLengths = [2, 3];
        var post = Randomize(new TransformerEncoderLayer(dm, h, new RandomSource(1), feedForward: ff), 51);
        var pre = Randomize(new TransformerEncoderLayer(dm, h, new RandomSource(2), feedForward: ff, activation: Activation.Gelu, normFirst: true), 52);
        var enc = Randomize(new TransformerEncoder(2, dm, h, new RandomSource(3), feedForward: ff), 53);
        var block = Randomize(new CrossModalBlock(dm, h, new RandomSource(4)), 54);
        foreach (var m in new Module[] { post, pre, enc, block }) m.Eval();
        float[] x = Values(61, b * n * dm), g = Values(62, b * n * dm), src = Values(63, b * s * dm);
        var input = new
        {
            dims = new[] { dm, h, ff, b, n, s }, x, g, src, lengths, src_lengths = srcLengths,
            post = StateJson(post), pre = StateJson(pre), enc = StateJson(enc), cross = StateJson(block),
        };
        var torch = TorchReference.Run(TorchScript, JsonSerializer.Serialize(input));
        var padding = LongTensor.FromArray(lengths, b);
        var tsrc = Tensor.FromArray(src, b, s, dm).SetRequiresGrad();
        Compare(torch.GetProperty("post"), post, t => post.Forward(t, padding));
        Compare(torch.GetProperty("pre"), pre, t => pre.Forward(t, padding));
        Compare(torch.GetProperty("enc"), enc, t => enc.Forward(t, padding));
        Compare(torch.GetProperty("cross"), block, t => block.Forward(t, tsrc, LongTensor.FromArray(srcLengths, b)));
        Same(Floats(torch.GetProperty("cross").GetProperty("dsrc")), tsrc.Grad!.ToArray(), "cross dsource", 1e-4, 1e-3);

        void Compare(JsonElement expected, Module module, Func<Tensor, Tensor> forward)
        {
            var tx = Tensor.FromArray(x, b, n, dm).SetRequiresGrad();
            var y = forward(tx);
            (y * Tensor.FromArray(g, b, n, dm)).Sum().Backward();
            string what = module.GetType().Name;
            Same(Floats(expected.GetProperty("y")), y.ToArray(), what + " y", 1e-5, 1e-4);
            Same(Floats(expected.GetProperty("dx")), tx.Grad!.ToArray(), what + " dx", 1e-4, 1e-3);
            SameGradients(expected.GetProperty("params"), module, what, 1e-4, 1e-3);
        }
    }
}

/// <summary>A training step of an encoder layer (dropout, padding) in a scope rents all its data from the pool.</summary>
[Collection(nameof(BufferPoolCollection))]
public class TransformerMemoryTests
{
    [Fact]
    public void ASteadyStateTrainingStepAllocatesOnlySmallObjects()
    {
        var rng = new RandomSource(1);
        var layer = new TransformerEncoderLayer(64, 4, rng, feedForward: 128, dropout: 0.1f);
        var x = Tensor.Randn(rng, 8, 32, 64);
        var lengths = LongTensor.FromArray([10, 12, 14, 16, 18, 20, 32, 0], 8);
        float Step()
        {
            using var _ = Tensor.NewScope();
            var loss = layer.Forward(x, lengths).Square().Mean();
            layer.ZeroGrad(setToNone: false);
            loss.Backward();
            return loss.Item();
        }
        for (int i = 0; i < 3; i++) Step();
        long poolAllocations = Fusion.Runtime.Memory.BufferPool.AllocationCount;
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int steps = 4;
        for (int i = 0; i < steps; i++) Assert.True(float.IsFinite(Step()));
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        Assert.Equal(poolAllocations, Fusion.Runtime.Memory.BufferPool.AllocationCount);
        // One activation is 8 x 32 x 64 floats = 64 KiB, one attention map 128 KiB.
        Assert.True(perStep < 64 * 1024, $"a steady-state step allocated {perStep} bytes");
    }
}
