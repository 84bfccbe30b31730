using Fusion.Runtime.Nn;
using Fusion.Runtime.Operators;

namespace Fusion.Runtime.Tests;

/// <summary>Fusion operators against closed forms written out by hand (methods.md sections 0, 2 and 3).</summary>
public class OperatorsReferenceTests
{
    private static Tensor T(float[] values, params int[] shape) => Tensor.FromArray(values, shape);

    private static void Close(float[] expected, Tensor actual, float tolerance = 1e-5f)
    {
        var a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {a[i]}");
    }

    private static void Set(Tensor parameter, params float[] values)
    {
        using var _ = Tensor.NoGrad();
        values.AsSpan().CopyTo(parameter.AsSpan());
    }

    [Fact]
    public void TensorFusion_of_two_scalars_is_one_b_a_ab()
    {
        var z = new TensorFusion().Forward([T([2f, 5f], 2, 1), T([3f, -1f], 2, 1)]);
        Assert.Equal(new[] { 2, 4 }, z.Shape.ToArray());
        Close([1, 3, 2, 6, 1, -1, 5, -5], z);
    }

    [Fact]
    public void TensorFusion_flattens_row_major_with_the_first_input_slowest()
    {
        var a = T([2f, 3f], 1, 2);
        var b = T([5f], 1, 1);
        var c = T([7f, 11f], 1, 2);
        var z = new TensorFusion().Forward([a, b, c]).ToArray();
        Assert.Equal(3 * 2 * 3, z.Length);
        float[] fa = [1, 2, 3], fb = [1, 5], fc = [1, 7, 11];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 3; k++)
                    Assert.Equal(fa[i] * fb[j] * fc[k], z[(i * 2 + j) * 3 + k]);
    }

    [Fact]
    public void LowRankFusion_of_rank_one_with_known_factors()
    {
        var lmf = new LowRankFusion([new InputWidth("a", 1), new InputWidth("b", 2)], rank: 1, outFeatures: 2, new RandomSource(1));
        Assert.Equal(["fusion_weights", "fusion_bias", "factors.a", "factors.b"], lmf.NamedParameters().Select(p => p.Name));
        Set(lmf.Factor(0), 1, 2, 3, 4);                 // [1, 2, 2]: rows [1; x_a]
        Set(lmf.Factor(1), 1, 0, 0, 1, 2, 2);           // [1, 3, 2]
        Set(lmf.FusionWeights, 0.5f);
        Set(lmf.FusionBias, 0.25f, -1f);
        var h = lmf.Forward([T([2f], 1, 1), T([3f, -1f], 1, 2)]);
        // [1, 2] W_a = [1 + 6, 2 + 8] = [7, 10]; [1, 3, -1] W_b = [1 - 2, 3 - 2] = [-1, 1]
        Close([0.5f * 7 * -1 + 0.25f, 0.5f * 10 * 1 - 1f], h);
    }

    [Fact]
    public void LowRankFusion_initialises_bias_to_zero_and_factors_xavier_normal()
    {
        var lmf = new LowRankFusion([new InputWidth("a", 63)], rank: 4, outFeatures: 64, new RandomSource(2));
        Assert.All(lmf.FusionBias.ToArray(), b => Assert.Equal(0f, b));
        var f = lmf.Factor(0).ToArray();
        double std = Math.Sqrt(f.Select(v => (double)v * v).Average());
        double expected = Math.Sqrt(2.0 / (64 * 64 + 4 * 64));          // fans of [4, 64, 64]
        Assert.InRange(std, expected * 0.95, expected * 1.05);
    }

    [Fact]
    public void Gmu_of_two_inputs_uses_a_sigmoid_gate()
    {
        var gmu = new GatedMultimodalUnit([new InputWidth("x", 1), new InputWidth("y", 1)], 1, new RandomSource(3));
        Assert.Equal(["hidden.x.weight", "hidden.y.weight", "gate.weight"], gmu.NamedParameters().Select(p => p.Name));
        Set(gmu.Hidden(0).Weight, 0.5f);
        Set(gmu.Hidden(1).Weight, -2f);
        Set(gmu.Gate.Weight, 1f, 1f);
        var h = gmu.Forward([T([1f], 1, 1), T([0.5f], 1, 1)]);
        float z = 1f / (1f + MathF.Exp(-1.5f));
        Close([z * MathF.Tanh(0.5f) + (1 - z) * MathF.Tanh(-1f)], h);
    }

    [Fact]
    public void Gmu_of_three_inputs_takes_a_softmax_over_inputs_per_unit()
    {
        var gmu = new GatedMultimodalUnit([new InputWidth("a", 1), new InputWidth("b", 1), new InputWidth("c", 1)], 1, new RandomSource(4));
        Assert.Equal(new[] { 3, 3 }, gmu.Gate.Weight.Shape.ToArray());
        Set(gmu.Hidden(0).Weight, 1f);
        Set(gmu.Hidden(1).Weight, 1f);
        Set(gmu.Hidden(2).Weight, 1f);
        Set(gmu.Gate.Weight, 1, 0, 0, 0, 1, 0, 0, 0, 1);  // row m scores input m
        float[] x = [0.2f, -0.4f, 1f];
        var h = gmu.Forward([T([x[0]], 1, 1), T([x[1]], 1, 1), T([x[2]], 1, 1)]);
        double norm = x.Sum(v => Math.Exp(v));
        float expected = (float)x.Sum(v => Math.Exp(v) / norm * Math.Tanh(v));
        Close([expected], h);
    }

    [Fact]
    public void DynamicGate_weights_tanh_projections_by_a_softmax_over_inputs()
    {
        var gate = new DynamicGate([new InputWidth("a", 1), new InputWidth("b", 1)], 1, new RandomSource(5));
        var p = gate.NamedParameters().ToDictionary(q => q.Name, q => q.Parameter);
        Assert.Equal(["proj.a.weight", "proj.a.bias", "proj.b.weight", "proj.b.bias", "gate.weight", "gate.bias"], p.Keys);
        Set(p["proj.a.weight"], 2f); Set(p["proj.a.bias"], 0f);
        Set(p["proj.b.weight"], 1f); Set(p["proj.b.bias"], 1f);
        Set(p["gate.weight"], 1, 0, 0, 1); Set(p["gate.bias"], 0f, 0f);
        var h = gate.Forward([T([0.3f], 1, 1), T([-0.2f], 1, 1)]);
        double ga = Math.Exp(0.3) / (Math.Exp(0.3) + Math.Exp(-0.2));
        Close([(float)(ga * Math.Tanh(0.6) + (1 - ga) * Math.Tanh(0.8))], h);
    }

    [Fact]
    public void WeightedSum_normalises_with_softmax_or_not()
    {
        var soft = new WeightedSum(2, softmax: true);
        Set(soft.Weights, 0f, MathF.Log(3f));                  // softmax -> [1/4, 3/4]
        Close([0.25f * 4 + 0.75f * 8], soft.Forward([T([4f], 1, 1), T([8f], 1, 1)]));
        var raw = new WeightedSum(2, softmax: false);
        Close([0.5f, 0.5f], raw.Weights);
        Set(raw.Weights, 2f, -1f);
        Close([2f * 4 - 8], raw.Forward([T([4f], 1, 1), T([8f], 1, 1)]));
    }

    [Fact]
    public void LateFusion_combines_heads_by_mean_weights_or_soft_vote()
    {
        var inputs = new[] { new InputWidth("a", 2), new InputWidth("b", 3) };
        var xa = Tensor.Randn(new RandomSource(6), 2, 2);
        var xb = Tensor.Randn(new RandomSource(7), 2, 3);
        var mean = new LateFusion(inputs, 4, LateCombine.Mean, new RandomSource(8));
        var heads = mean.NamedChildren().Single().Module.NamedChildren().Select(c => (Linear)c.Module).ToArray();
        var ya = heads[0].Forward(xa);
        var yb = heads[1].Forward(xb);
        Close(((ya + yb) / 2f).ToArray(), mean.Forward([xa, xb]));

        var weighted = new LateFusion(inputs, 4, LateCombine.Weighted, new RandomSource(8));
        Assert.Equal(["weights", "heads.a.weight", "heads.a.bias", "heads.b.weight", "heads.b.bias"], weighted.NamedParameters().Select(p => p.Name));
        Close(((ya + yb) / 2f).ToArray(), weighted.Forward([xa, xb]));   // zero weights: the mean

        var vote = new LateFusion(inputs, 4, LateCombine.Vote, new RandomSource(8));
        var v = vote.Forward([xa, xb]);
        Close(((ya.Softmax(-1) + yb.Softmax(-1)) / 2f).ToArray(), v);
        Close([1f, 1f], v.Sum(-1));
    }

    [Fact]
    public void Film_modulates_every_step_of_a_sequence()
    {
        var film = new Film(2, 1, new RandomSource(9));
        var p = film.NamedParameters().ToDictionary(q => q.Name, q => q.Parameter);
        Assert.Equal(["gamma.weight", "gamma.bias", "beta.weight", "beta.bias"], p.Keys);
        Set(p["gamma.weight"], 1f, 2f); Set(p["gamma.bias"], 0f, 1f);
        Set(p["beta.weight"], -1f, 0f); Set(p["beta.bias"], 0.5f, 0f);
        var x = T([1f, 2f, 3f, 4f], 1, 2, 2);
        var y = film.Forward(x, T([2f], 1, 1));                   // gamma = [2, 5], beta = [-1.5, 0]
        Close([2f * 1 - 1.5f, 5f * 2, 2f * 3 - 1.5f, 5f * 4], y);
    }

    [Fact]
    public void Mcb_equals_the_explicit_count_sketch_convolution()
    {
        const int d = 7;
        var mcb = new CompactBilinearPooling([new InputWidth("u", 3), new InputWidth("v", 4)], d, signedSqrt: false, l2Normalize: false, seed: 11);
        var buffers = mcb.NamedBuffers().Select(b => b.Name).ToArray();
        Assert.Equal(["sketches.u.index", "sketches.u.sign", "sketches.v.index", "sketches.v.sign"], buffers);
        var x = Tensor.Randn(new RandomSource(12), 2, 3);
        var y = Tensor.Randn(new RandomSource(13), 2, 4);
        var phi = mcb.Forward([x, y]).ToArray();
        for (int b = 0; b < 2; b++)
        {
            var sx = Sketch(x, b, mcb.Index(0), mcb.Sign(0), d);
            var sy = Sketch(y, b, mcb.Index(1), mcb.Sign(1), d);
            for (int n = 0; n < d; n++)
            {
                double expected = 0;
                for (int k = 0; k < d; k++) expected += sx[k] * sy[((n - k) % d + d) % d];
                Assert.True(Math.Abs(expected - phi[b * d + n]) < 1e-4, $"sample {b}, bucket {n}: {expected} vs {phi[b * d + n]}");
            }
        }
    }

    [Fact]
    public void Mcb_signed_sqrt_and_l2_normalisation()
    {
        var plain = new CompactBilinearPooling([new InputWidth("u", 5), new InputWidth("v", 6)], 16, false, false, seed: 1);
        var both = new CompactBilinearPooling([new InputWidth("u", 5), new InputWidth("v", 6)], 16, true, true, seed: 1);
        var x = Tensor.Randn(new RandomSource(14), 3, 5);
        var y = Tensor.Randn(new RandomSource(15), 3, 6);
        var p = plain.Forward([x, y]).ToArray();
        var q = both.Forward([x, y]).ToArray();
        for (int b = 0; b < 3; b++)
        {
            var s = p.Skip(b * 16).Take(16).Select(v => Math.Sign(v) * Math.Sqrt(Math.Abs(v) + 1e-10)).ToArray();
            double norm = Math.Sqrt(s.Sum(v => v * v));
            for (int n = 0; n < 16; n++) Assert.True(Math.Abs(s[n] / norm - q[b * 16 + n]) < 1e-5);
        }
    }

    [Fact]
    public void Mcb_sketches_are_fixed_by_the_seed()
    {
        var a = new CompactBilinearPooling([new InputWidth("u", 9), new InputWidth("v", 9)], 100, false, false, seed: 4);
        var b = new CompactBilinearPooling([new InputWidth("u", 9), new InputWidth("v", 9)], 100, false, false, seed: 4);
        Assert.Equal(a.Buffers().SelectMany(t => t.ToArray()), b.Buffers().SelectMany(t => t.ToArray()));
        Assert.All(a.Index(0), i => Assert.InRange(i, 0, 99));
        Assert.All(a.Sign(1), s => Assert.True(s is 1f or -1f));
    }

    private static double[] Sketch(Tensor x, int row, IReadOnlyList<int> index, IReadOnlyList<float> sign, int d)
    {
        var s = new double[d];
        for (int i = 0; i < index.Count; i++) s[index[i]] += sign[i] * x[row, i];
        return s;
    }

    [Theory]
    [InlineData(PoolMode.Mean)]
    [InlineData(PoolMode.Max)]
    [InlineData(PoolMode.Min)]
    [InlineData(PoolMode.First)]
    [InlineData(PoolMode.Last)]
    public void SequencePool_ignores_padded_steps(PoolMode mode)
    {
        var pool = new SequencePool(mode);
        var x = Tensor.Randn(new RandomSource(16), 3, 5, 2);
        var lengths = LongTensor.FromArray(new long[] { 5, 2, 3 }, 3);
        var pooled = pool.Forward(x, lengths).ToArray();
        var values = x.ToArray();
        for (int b = 0; b < 3; b++)
        {
            int len = (int)lengths.AsSpan()[b];
            for (int f = 0; f < 2; f++)
            {
                var steps = Enumerable.Range(0, len).Select(t => values[(b * 5 + t) * 2 + f]).ToArray();
                float expected = mode switch
                {
                    PoolMode.Mean => steps.Average(),
                    PoolMode.Max => steps.Max(),
                    PoolMode.Min => steps.Min(),
                    PoolMode.First => steps[0],
                    _ => steps[^1],
                };
                Assert.True(Math.Abs(expected - pooled[b * 2 + f]) < 1e-5, $"{mode} sample {b} feature {f}");
            }
        }

        var padded = x.Clone();
        {
            using var _ = Tensor.NoGrad();
            var span = padded.AsSpan();
            for (int t = 2; t < 5; t++) { span[(1 * 5 + t) * 2] = 1e6f; span[(1 * 5 + t) * 2 + 1] = -1e6f; }
            for (int t = 3; t < 5; t++) { span[(2 * 5 + t) * 2] = -1e6f; span[(2 * 5 + t) * 2 + 1] = 1e6f; }
        }

        Assert.Equal(pooled, pool.Forward(padded, lengths).ToArray());

        var leaf = x.Clone().SetRequiresGrad();
        pool.Forward(leaf, lengths).Sum().Backward();
        var grad = leaf.Grad!.ToArray();
        for (int t = 2; t < 5; t++) Assert.Equal(0f, grad[(1 * 5 + t) * 2]);
        for (int t = 3; t < 5; t++) Assert.Equal(0f, grad[(2 * 5 + t) * 2 + 1]);
    }

    [Fact]
    public void SequencePool_without_lengths_pools_every_step_and_an_empty_sample_gives_zeros()
    {
        var x = Tensor.Randn(new RandomSource(17), 2, 4, 3);
        Close(x.Mean(1).ToArray(), new SequencePool(PoolMode.Mean).Forward(x));
        Close(x.Select(1, 3).Contiguous().ToArray(), new SequencePool(PoolMode.Last).Forward(x));
        var empty = LongTensor.FromArray(new long[] { 0, 4 }, 2);
        foreach (var mode in Enum.GetValues<PoolMode>())
        {
            var y = new SequencePool(mode).Forward(x, empty).ToArray();
            Assert.Equal([0f, 0f, 0f], y.Take(3));
            Assert.All(y, v => Assert.True(float.IsFinite(v)));
        }

        var image = Tensor.Randn(new RandomSource(18), 2, 3, 4, 5);
        Close(image.Max([2, 3]).ToArray(), new SequencePool(PoolMode.Max).Forward(image));
    }

    [Fact]
    public void ModalityDropout_never_drops_every_input_and_rescales_the_rest()
    {
        var dropout = new ModalityDropout(3, 0.6f, new RandomSource(19));
        var ones = Enumerable.Range(0, 3).Select(_ => Tensor.Ones(200, 2)).ToArray();
        var outs = dropout.Forward(ones).Select(o => o.ToArray()).ToArray();
        int dropped = 0;
        for (int b = 0; b < 200; b++)
        {
            var scales = outs.Select(o => o[b * 2]).ToArray();
            int kept = scales.Count(s => s != 0f);
            Assert.True(kept >= 1);
            dropped += 3 - kept;
            Assert.All(scales.Where(s => s != 0f), s => Assert.Equal(3f / kept, s, 5));
            Assert.All(outs, o => Assert.Equal(o[b * 2], o[b * 2 + 1]));
        }

        Assert.InRange(dropped, 200 * 3 * 0.4, 200 * 3 * 0.7);
        dropout.Eval();
        Assert.Same(ones[1], dropout.Forward(ones)[1]);
    }

    [Fact]
    public void AutoFusion_compresses_and_its_reconstruction_term_is_the_mse()
    {
        var auto = new AutoFusion(6, 2, new RandomSource(20));
        Assert.Equal(
            ["encoder1.weight", "encoder1.bias", "encoder2.weight", "encoder2.bias", "decoder1.weight", "decoder2.weight"],
            auto.NamedParameters().Select(p => p.Name));
        var a = Tensor.Randn(new RandomSource(21), 4, 2);
        var b = Tensor.Randn(new RandomSource(22), 4, 4);
        var result = auto.Forward([a, b]);
        var p = auto.NamedParameters().ToDictionary(q => q.Name, q => q.Parameter);
        var z = Tensor.Concat(-1, a, b);
        var latent = Tensor.Linear(Tensor.Linear(z, p["encoder1.weight"], p["encoder1.bias"]).Tanh(), p["encoder2.weight"], p["encoder2.bias"]).Relu();
        var zHat = Tensor.Linear(Tensor.Linear(latent, p["decoder1.weight"]).Relu(), p["decoder2.weight"]);
        Close(latent.ToArray(), result.Latent);
        Close(zHat.ToArray(), result.Reconstruction);
        Close([(zHat - z).Square().Mean().Item()], result.ReconstructionLoss());
    }

    [Fact]
    public void ProjectionHead_is_linear_gelu_linear_dropout_layernorm()
    {
        var head = new ProjectionHead(3, 4, 0.5f, new RandomSource(23));
        Assert.Equal(
            ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "norm.weight", "norm.bias"],
            head.NamedParameters().Select(p => p.Name));
        head.Eval();
        var p = head.NamedParameters().ToDictionary(q => q.Name, q => q.Parameter);
        var x = Tensor.Randn(new RandomSource(24), 2, 5, 3);
        var expected = Tensor.LayerNorm(Tensor.Linear(Tensor.Linear(x, p["fc1.weight"], p["fc1.bias"]).Gelu(), p["fc2.weight"], p["fc2.bias"]), p["norm.weight"], p["norm.bias"]);
        Close(expected.ToArray(), head.Forward(x));
    }

    [Fact]
    public void ContrastiveScale_starts_at_log_one_over_temperature()
    {
        var scale = new ContrastiveScale(0.07f, 100f);
        Assert.Equal(["logit_scale"], scale.NamedParameters().Select(p => p.Name));
        Assert.Equal(MathF.Log(1f / 0.07f), scale.LogitScale.Item(), 5);
        Assert.Empty(scale.LogitScale.Shape.ToArray());
    }

    [Fact]
    public void SequenceLengths_of_aligned_sequences_are_the_steps_valid_in_all()
    {
        var a = LongTensor.FromArray(new long[] { 3, 5, 0 }, 3);
        var b = LongTensor.FromArray(new long[] { 4, 2, 1 }, 3);
        Assert.Equal(new long[] { 3, 2, 0 }, SequenceLengths.Common(a, null, b)!.ToArray());
        Assert.Null(SequenceLengths.Common(null, null));
        Assert.Throws<ArgumentException>(() => SequenceLengths.Common(a, LongTensor.FromArray(new long[] { 1 }, 1)));
    }
}
