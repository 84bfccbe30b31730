using Fusion.Runtime.Data;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The reference check of <c>cross_attention</c> (MulT, methods.md section 2): the generated module's
/// output equals a plain computation of the bias-free projections and, per source, a stack of pre-LN
/// cross-modal blocks (<see cref="CrossModalBlock"/> below: Q from the target, K and V from the source,
/// FF 4 * width), concatenated per target step; a vector source is one step; the source's lengths pad its
/// keys; the output keeps the target's lengths (the last-step pool reads them). Steps beyond the lengths
/// change no valid output.
/// </summary>
public sealed class CrossAttentionReferenceTests
{
    private const string Yaml = """
        model: TinyCrossAttention
        modalities:
          t: { shape: [3, 3] }
          v: { shape: [2] }
          s: { shape: [4, 2] }
        fusion:
          cm: { op: cross_attention, inputs: [t, v, s], width: 4, heads: 2, layers: 2, dropout: 0.1 }
          pooled: { op: pool, input: cm, mode: last }
        heads:
          y: { type: regressor, input: pooled, outputs: 1 }
        losses:
          - { type: mse, head: y }
        """;

    private static readonly int[] TargetLengths = [3, 2];
    private static readonly int[] SourceLengths = [2, 4];

    [Fact]
    public void Two_sources_two_layers_equal_the_plain_pre_ln_blocks()
    {
        var model = ReferenceModel.Compile(Yaml);
        var t = ReferenceModel.FixedSequences(2, 3, 3, salt: 1);
        var v = ReferenceModel.FixedVectors(2, 2, salt: 2);
        var s = ReferenceModel.FixedSequences(2, 4, 2, salt: 3);
        var outputs = model.Forward(Columns(t, v, s));

        var expected = t.Select((target, b) =>
        {
            var query = PlainMath.Linear(target, model.Get("cm.proj.t.weight"), null);
            var fromVector = Stack(query, [PlainMath.Linear(v[b], model.Get("cm.proj.v.weight"), null)], model.Get, "cm.blocks.v.", padding: null);
            var sourcePadding = Enumerable.Range(0, 4).Select(j => j >= SourceLengths[b]).ToArray();
            var fromSequence = Stack(query, PlainMath.Linear(s[b], model.Get("cm.proj.s.weight"), null), model.Get, "cm.blocks.s.", sourcePadding);
            int last = TargetLengths[b] - 1;
            return PlainMath.Concat(fromVector[last], fromSequence[last]);
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["pooled"], tolerance: 1e-5);
    }

    [Fact]
    public void Steps_beyond_the_lengths_change_no_valid_output()
    {
        var model = ReferenceModel.Compile(Yaml);
        var t = ReferenceModel.FixedSequences(2, 3, 3, salt: 1);
        var v = ReferenceModel.FixedVectors(2, 2, salt: 2);
        var s = ReferenceModel.FixedSequences(2, 4, 2, salt: 3);
        var clean = model.Forward(Columns(t, v, s)).Representations["pooled"].ToArray();
        var garbled = model.Forward(Columns(Garbage.Beyond(t, TargetLengths), v, Garbage.Beyond(s, SourceLengths))).Representations["pooled"].ToArray();
        Assert.Equal(clean, garbled);
    }

    private static DataColumn[] Columns(double[][][] t, double[][] v, double[][][] s) =>
    [
        ReferenceModel.Sequences("t", t, TargetLengths),
        ReferenceModel.Vectors("v", v),
        ReferenceModel.Sequences("s", s, SourceLengths),
    ];

    /// <summary>Two cross-modal blocks <c>prefix + "layers.i."</c> over the target rows, attending to <paramref name="source"/>.</summary>
    private static double[][] Stack(double[][] target, double[][] source, Func<string, float[]> get, string prefix, bool[]? padding)
    {
        for (int i = 0; i < 2; i++) target = CrossModalBlock(target, source, get, $"{prefix}layers.{i}.", heads: 2, padding);
        return target;
    }

    /// <summary>
    /// MulT's pre-LN cross-modal block on one sample: <c>x = x + attn(norm_q(x), norm_kv(s), norm_kv(s))</c>,
    /// then <c>x = x + linear2(relu(linear1(norm_ff(x))))</c> (eval mode: no dropout).
    /// </summary>
    internal static double[][] CrossModalBlock(double[][] x, double[][] source, Func<string, float[]> get, string prefix, int heads, bool[]? padding)
    {
        double[] Norm(double[] row, string name) => PlainMath.LayerNorm(row, get(prefix + name + ".weight"), get(prefix + name + ".bias"));
        var kv = source.Select(r => Norm(r, "norm_kv")).ToArray();
        var attended = PlainMath.MultiheadAttention(
            x.Select(r => Norm(r, "norm_q")).ToArray(), kv, kv, get(prefix + "attn.in_proj_weight"), get(prefix + "attn.in_proj_bias"),
            get(prefix + "attn.out_proj.weight"), get(prefix + "attn.out_proj.bias"), heads, padding).Output;
        x = x.Select((r, i) => PlainMath.Add(r, attended[i])).ToArray();
        return x.Select(r => PlainMath.Add(r, PlainMath.Linear(
            PlainMath.Map(PlainMath.Linear(Norm(r, "norm_ff"), get(prefix + "linear1.weight"), get(prefix + "linear1.bias")), PlainMath.Relu),
            get(prefix + "linear2.weight"), get(prefix + "linear2.bias")))).ToArray();
    }
}
