using System.Text.Json;
using Fusion.Runtime.Nn;
using static Fusion.Runtime.Tests.AttentionTesting;

namespace Fusion.Runtime.Tests;

/// <summary>
/// MultiheadAttention and the fused masked softmax: finite-difference gradients (every parameter
/// and input, with masks), closed forms, masks, padding invariance, and parity with PyTorch 1.13's
/// nn.MultiheadAttention (skipped with the reason when torch is absent).
/// </summary>
public class AttentionTests
{
    private static MultiheadAttention Mha(int e, int heads, ulong seed = 3) => Randomize(new MultiheadAttention(e, heads, new RandomSource(seed)), seed + 100);

    private static Tensor[] With(MultiheadAttention m, params Tensor[] inputs) => [.. inputs, .. m.Parameters()];

    [Fact]
    public void CrossAttentionGradientsWithLengthsAndAdditiveMask()
    {
        var m = Mha(4, 2);
        var mask = AttentionMask.Additive(Tensor.Randn(new RandomSource(5), 3, 5));
        var lengths = LongTensor.FromArray([5, 2], 2);
        var inputs = GradientChecker.Inputs(11, [2, 3, 4], [2, 5, 4], [2, 5, 4]);
        GradientChecker.Check(x => m.Forward(x[0], x[1], x[2], lengths, mask).Output, With(m, inputs));
    }

    [Fact]
    public void AveragedWeightsGradients()
    {
        var m = Mha(4, 2);
        var padding = PaddingFromLengths([3, 4], 4);
        var inputs = GradientChecker.Inputs(12, [2, 2, 4], [2, 4, 4]);
        // The weights depend on the query and key projections only (out_proj gets no gradient).
        GradientChecker.Check(x => m.Forward(x[0], x[1], x[1], padding).Weights!, [.. inputs, m.InProjWeight, m.InProjBias]);
    }

    [Fact]
    public void SelfAttentionGradientsWithCausalMaskAndAFullyMaskedBatchElement()
    {
        var m = Mha(6, 3);
        var lengths = LongTensor.FromArray([0, 3], 2);   // batch element 0 has no valid key at all
        var inputs = GradientChecker.Inputs(13, [2, 4, 6]);
        GradientChecker.Check(x => m.Forward(x[0], lengths, AttentionMask.Causal(4)).Output, With(m, inputs));
    }

    [Fact]
    public void MaskedSoftmaxGradientWithScaleAndBooleanMask()
    {
        var forbid = new bool[3, 4];
        forbid[0, 1] = forbid[2, 0] = forbid[2, 3] = true;
        var padding = PaddingFromLengths([4, 3], 4);
        GradientChecker.Check(x => ScaledDotProductAttention.MaskedSoftmax(x[0], 0.7f, AttentionMask.FromBool(forbid), padding), [2, 2, 3, 4]);
    }

    [Fact]
    public void OneHeadIdentityProjectionsGiveTheSoftmaxAverage()
    {
        const int e = 3, b = 2, l = 2, s = 4;
        var m = new MultiheadAttention(e, 1, new RandomSource(1));
        SetIdentity(m);
        var rng = new RandomSource(9);
        var q = Tensor.Randn(rng, b, l, e);
        var k = Tensor.Randn(rng, b, s, e);
        var v = Tensor.Randn(rng, b, s, e);
        var (y, w) = m.Forward(q, k, v);
        Assert.Equal([b, l, e], y.Shape.ToArray());
        Assert.Equal([b, l, s], w!.Shape.ToArray());
        for (int bi = 0; bi < b; bi++)
            for (int li = 0; li < l; li++)
            {
                var scores = new double[s];
                for (int si = 0; si < s; si++)
                {
                    double dot = 0;
                    for (int j = 0; j < e; j++) dot += q[bi, li, j] * k[bi, si, j];
                    scores[si] = dot / Math.Sqrt(e);
                }
                double max = scores.Max();
                var p = scores.Select(x => Math.Exp(x - max)).ToArray();
                double sum = p.Sum();
                for (int si = 0; si < s; si++) Assert.Equal(p[si] / sum, w[bi, li, si], 5);
                for (int j = 0; j < e; j++)
                {
                    double expected = 0;
                    for (int si = 0; si < s; si++) expected += p[si] / sum * v[bi, si, j];
                    Assert.Equal(expected, y[bi, li, j], 5);
                }
            }
    }

    [Fact]
    public void ASingleKeyGetsWeightOne()
    {
        var m = Mha(4, 2);
        var rng = new RandomSource(4);
        var q = Tensor.Randn(rng, 2, 3, 4) * 5f;
        var kv = Tensor.Randn(rng, 2, 1, 4);
        var (y, w) = m.Forward(q, kv, kv);
        Assert.All(w!.ToArray(), x => Assert.Equal(1f, x));
        // Every query then reads the value projection of the one key, whatever the query is.
        var value = Tensor.Linear(kv, m.InProjWeight.Slice(0, 8, 12), m.InProjBias.Slice(0, 8, 12));
        var expected = m.OutProj.Forward(value).Expand(2, 3, 4);
        Same(expected.ToArray(), y.ToArray(), "single-key output", 1e-5, 1e-5);
    }

    [Fact]
    public void AFullyMaskedQueryHasZeroWeightsAndTheOutputBias()
    {
        var m = Mha(4, 2);
        var x = Tensor.Randn(new RandomSource(8), 2, 3, 4).SetRequiresGrad();
        var forbid = new bool[3, 3];
        for (int s = 0; s < 3; s++) forbid[1, s] = true;                     // query 1 may see nothing
        var (y, w) = m.Forward(x, x, x, LongTensor.FromArray([3, 0], 2), AttentionMask.FromBool(forbid));
        var bias = m.OutProj.Bias!.ToArray();
        for (int b = 0; b < 2; b++)
            for (int l = 0; l < 3; l++)
            {
                bool empty = b == 1 || l == 1;
                for (int s = 0; s < 3; s++)
                    if (empty) Assert.Equal(0f, w![b, l, s]);
                Assert.Equal(empty ? 0f : 1f, Enumerable.Range(0, 3).Sum(s => w![b, l, s]), 5);
                if (empty)
                    for (int j = 0; j < 4; j++) Assert.Equal(bias[j], y[b, l, j]);
            }
        y.Sum().Backward();
        Assert.All(x.Grad!.ToArray(), g => Assert.True(float.IsFinite(g)));
        Assert.All(m.InProjWeight.Grad!.ToArray(), g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void MaskSpellingsAgree()
    {
        var m = Mha(4, 2);
        var rng = new RandomSource(6);
        var q = Tensor.Randn(rng, 2, 3, 4);
        var kv = Tensor.Randn(rng, 2, 5, 4);
        int[] lengths = [4, 2];
        var byLengths = m.Forward(q, kv, kv, LongTensor.FromArray(lengths, 2)).Output.ToArray();
        var byBool = m.Forward(q, kv, kv, PaddingFromLengths(lengths, 5)).Output.ToArray();
        var padTensor = Tensor.FromArray([0, 0, 0, 0, 1, 0, 0, 1, 1, 1], 2, 5);
        var byTensor = m.Forward(q, kv, kv, KeyPaddingMask.FromTensor(padTensor)).Output.ToArray();
        Assert.Equal(byLengths, byBool);
        Assert.Equal(byLengths, byTensor);

        var forbid = new bool[3, 5];
        forbid[0, 2] = forbid[1, 0] = forbid[2, 4] = true;
        var additiveValues = new float[15];
        additiveValues[0 * 5 + 2] = additiveValues[1 * 5 + 0] = additiveValues[2 * 5 + 4] = float.NegativeInfinity;
        var additive = Tensor.FromArray(additiveValues, 3, 5);
        Assert.Equal(m.Forward(q, kv, kv, mask: AttentionMask.FromBool(forbid)).Output.ToArray(),
                     m.Forward(q, kv, kv, mask: AttentionMask.Additive(additive)).Output.ToArray());
        // A forbidden key gets weight exactly 0.
        var w = m.Forward(q, kv, kv, mask: AttentionMask.FromBool(forbid)).Weights!;
        Assert.Equal(0f, w[1, 0, 2]);
        Assert.Equal(0f, w[0, 1, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Forward(q, kv, kv, LongTensor.FromArray([6, 2], 2)));
        Assert.Throws<ArgumentException>(() => m.Forward(q, kv, kv, mask: AttentionMask.Causal(5)));
    }

    [Fact]
    public void PaddedKeysChangeNoValidOutputAndNoValidGradient()
    {
        var m = Mha(4, 2);
        var rng = new RandomSource(21);
        int[] lengths = [3, 1];
        var q = Tensor.Randn(rng, 2, 2, 4);
        var k = Tensor.Randn(rng, 2, 3, 4);
        var v = Tensor.Randn(rng, 2, 3, 4);
        var (y0, dq0, dk0, dv0, dw0) = Run(m, q, k, v, lengths);

        // Append three garbage keys and values, and garble the already padded key of batch element 1.
        var garbage = Tensor.Randn(rng, 2, 3, 4) * 100f;
        var k2 = Tensor.Concat(1, k, garbage).Contiguous();
        var v2 = Tensor.Concat(1, v, garbage * -3f).Contiguous();
        for (int j = 0; j < 4; j++) { k2.AsSpan()[(1 * 6 + 2) * 4 + j] = 1e4f; v2.AsSpan()[(1 * 6 + 1) * 4 + j] = -1e4f; }
        var (y1, dq1, dk1, dv1, dw1) = Run(m, q, k2, v2, lengths);

        Same(y0, y1, "valid outputs", 1e-5, 1e-5);
        Same(dq0, dq1, "query gradient", 1e-5, 1e-5);
        Same(dw0, dw1, "in_proj_weight gradient", 1e-5, 1e-5);
        for (int b = 0; b < 2; b++)
            for (int s = 0; s < 6; s++)
                for (int j = 0; j < 4; j++)
                {
                    bool valid = s < lengths[b];
                    float expectedK = valid ? dk0[(b * 3 + s) * 4 + j] : 0f, expectedV = valid ? dv0[(b * 3 + s) * 4 + j] : 0f;
                    Assert.Equal(expectedK, dk1[(b * 6 + s) * 4 + j], 5);
                    Assert.Equal(expectedV, dv1[(b * 6 + s) * 4 + j], 5);
                }
    }

    private static (float[] Y, float[] Dq, float[] Dk, float[] Dv, float[] DInProj) Run(MultiheadAttention m, Tensor q, Tensor k, Tensor v, int[] lengths)
    {
        q = q.Detach().SetRequiresGrad();
        k = k.Detach().SetRequiresGrad();
        v = v.Detach().SetRequiresGrad();
        m.ZeroGrad();
        var y = m.Forward(q, k, v, LongTensor.FromArray(lengths, lengths.Length)).Output;
        (y * Tensor.FromArray(Values(99, y.Numel), y.Shape)).Sum().Backward();
        return (y.ToArray(), q.Grad!.ToArray(), k.Grad!.ToArray(), v.Grad!.ToArray(), m.InProjWeight.Grad!.ToArray());
    }

    [Fact]
    public void DropoutActsOnTheWeightsInTrainingOnly()
    {
        var m = Mha(4, 2);
        m.Eval();
        var x = Tensor.Randn(new RandomSource(2), 2, 5, 4);
        var eval = m.Forward(x).Weights!.ToArray();
        Assert.Equal(eval, m.Forward(x).Weights!.ToArray());
        var dropped = new MultiheadAttention(4, 2, new RandomSource(3), dropout: 0.5f);
        dropped.LoadStateDict(m.StateDict());
        var w = dropped.Forward(x).Weights!.ToArray();
        Assert.NotEqual(eval, w);
        dropped.Eval();
        Assert.Equal(eval, dropped.Forward(x).Weights!.ToArray());

        // Dropout 1 zeroes every weight: each output is out_proj's bias, and no gradient reaches the input.
        var all = new MultiheadAttention(4, 2, new RandomSource(3), dropout: 1f);
        all.LoadStateDict(m.StateDict());
        var xg = x.Detach().SetRequiresGrad();
        var y = all.Forward(xg).Output;
        var bias = m.OutProj.Bias!.ToArray();
        Assert.Equal(Enumerable.Range(0, y.Numel).Select(i => bias[i % 4]).ToArray(), y.ToArray());
        y.Sum().Backward();
        Assert.All(xg.Grad!.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void StateDictHasPyTorchKeysAndInit()
    {
        var m = new MultiheadAttention(8, 2, new RandomSource(1));
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], m.StateDict().Keys.ToArray());
        Assert.Equal([24, 8], m.InProjWeight.Shape.ToArray());
        Assert.All(m.InProjBias.ToArray(), b => Assert.Equal(0f, b));
        Assert.All(m.OutProj.Bias!.ToArray(), b => Assert.Equal(0f, b));
        float xavier = MathF.Sqrt(6f / (8 + 24));
        Assert.All(m.InProjWeight.ToArray(), w => Assert.InRange(w, -xavier, xavier));
        Assert.Contains(m.InProjWeight.ToArray(), w => Math.Abs(w) > 0.5f * xavier);
        Assert.All(m.OutProj.Weight.ToArray(), w => Assert.InRange(w, -1f / MathF.Sqrt(8), 1f / MathF.Sqrt(8)));
        Assert.Throws<ArgumentException>(() => new MultiheadAttention(6, 4, new RandomSource(1)));
    }

    private static void SetIdentity(MultiheadAttention m)
    {
        int e = m.EmbedDim;
        using var _ = Tensor.NoGrad();
        var eye = Tensor.Eye(e);
        m.InProjWeight.CopyFrom(Tensor.Concat(0, eye, eye, eye));
        m.InProjBias.ZeroInPlace();
        m.OutProj.Weight.CopyFrom(eye);
        m.OutProj.Bias!.ZeroInPlace();
    }

    private const string TorchScript = """
        import json, sys, torch
        import torch.nn as nn
        d = json.load(sys.stdin)
        E, H, B, L, S = d["dims"]
        def leaf(name, shape): return torch.tensor(d[name]).reshape(shape).requires_grad_()
        m = nn.MultiheadAttention(E, H, dropout=0.3, batch_first=True)
        own = m.state_dict()
        m.load_state_dict({k: torch.tensor(v).reshape(own[k].shape) for k, v in d["state"].items()}, strict=True)
        m.eval()
        def padding(lengths, n): return torch.arange(n)[None, :] >= torch.tensor(lengths)[:, None]
        def grads(): return {k: p.grad.flatten().tolist() for k, p in m.named_parameters()}
        out = {}
        # cross attention, key != value, lengths and an additive mask
        q, k, v = leaf("q", (B, L, E)), leaf("k", (B, S, E)), leaf("v", (B, S, E))
        y, w = m(q, k, v, key_padding_mask=padding(d["lengths"], S), attn_mask=torch.tensor(d["mask"]).reshape(L, S))
        ((y * torch.tensor(d["gy"]).reshape(B, L, E)).sum() + (w * torch.tensor(d["gw"]).reshape(B, L, S)).sum()).backward()
        out["cross"] = {"y": y.flatten().tolist(), "w": w.flatten().tolist(), "dq": q.grad.flatten().tolist(),
                        "dk": k.grad.flatten().tolist(), "dv": v.grad.flatten().tolist(), "params": grads()}
        # self attention, one tensor
        m.zero_grad()
        x = leaf("x", (B, S, E))
        y, _ = m(x, x, x, key_padding_mask=padding(d["self_lengths"], S))
        (y * torch.tensor(d["gx"]).reshape(B, S, E)).sum().backward()
        out["self"] = {"y": y.flatten().tolist(), "dx": x.grad.flatten().tolist(), "params": grads()}
        print(json.dumps(out))
        """;

    [TorchFact]
    public void MatchesTorchMultiheadAttention()
    {
        const int e = 8, h = 2, b = 2, l = 3, s = 5;
        var m = Mha(e, h, seed: 40);
        var fromTorch = new MultiheadAttention(e, h, new RandomSource(41), dropout: 0.3f);
        fromTorch.LoadStateDict(m.StateDict());
        fromTorch.Eval();
        float[] q = Values(1, b * l * e), k = Values(2, b * s * e), v = Values(3, b * s * e), x = Values(4, b * s * e);
        float[] mask = Values(5, l * s), gy = Values(6, b * l * e), gw = Values(7, b * l * s), gx = Values(8, b * s * e);
        int[] lengths = [5, 3], selfLengths = [2, 5];
        var input = new { dims = new[] { e, h, b, l, s }, state = StateJson(m), q, k, v, x, mask, gy, gw, gx, lengths, self_lengths = selfLengths };
        var torch = TorchReference.Run(TorchScript, JsonSerializer.Serialize(input));
        const double atol = 1e-5, rtol = 1e-4, gatol = 1e-4, grtol = 1e-3;

        var tq = Tensor.FromArray(q, b, l, e).SetRequiresGrad();
        var tk = Tensor.FromArray(k, b, s, e).SetRequiresGrad();
        var tv = Tensor.FromArray(v, b, s, e).SetRequiresGrad();
        var (y, w) = fromTorch.Forward(tq, tk, tv, LongTensor.FromArray(lengths, b), AttentionMask.Additive(Tensor.FromArray(mask, l, s)));
        ((y * Tensor.FromArray(gy, b, l, e)).Sum() + (w! * Tensor.FromArray(gw, b, l, s)).Sum()).Backward();
        var cross = torch.GetProperty("cross");
        Same(Floats(cross.GetProperty("y")), y.ToArray(), "cross y", atol, rtol);
        Same(Floats(cross.GetProperty("w")), w!.ToArray(), "cross weights", atol, rtol);
        Same(Floats(cross.GetProperty("dq")), tq.Grad!.ToArray(), "cross dq", gatol, grtol);
        Same(Floats(cross.GetProperty("dk")), tk.Grad!.ToArray(), "cross dk", gatol, grtol);
        Same(Floats(cross.GetProperty("dv")), tv.Grad!.ToArray(), "cross dv", gatol, grtol);
        SameGradients(cross.GetProperty("params"), fromTorch, "cross", gatol, grtol);

        fromTorch.ZeroGrad();
        var tx = Tensor.FromArray(x, b, s, e).SetRequiresGrad();
        var (ys, _) = fromTorch.Forward(tx, LongTensor.FromArray(selfLengths, b));
        (ys * Tensor.FromArray(gx, b, s, e)).Sum().Backward();
        var self = torch.GetProperty("self");
        Same(Floats(self.GetProperty("y")), ys.ToArray(), "self y", atol, rtol);
        Same(Floats(self.GetProperty("dx")), tx.Grad!.ToArray(), "self dx", gatol, grtol);
        SameGradients(self.GetProperty("params"), fromTorch, "self", gatol, grtol);
    }
}
