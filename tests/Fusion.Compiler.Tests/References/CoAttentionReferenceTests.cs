using Fusion.Runtime.Data;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The reference check of <c>co_attention</c> (methods.md section 2): both inputs projected (with bias);
/// <c>b_to_a</c> = attention with a's steps as queries over b (keys padded by b's lengths), <c>a_to_b</c> the
/// other way (<see cref="PlainMath.MultiheadAttention"/>); each stream pooled over its query's valid steps;
/// the output is <c>[pool(b_to_a); pool(a_to_b)]</c>. A vector input is one step. Steps beyond the lengths
/// change no output.
/// </summary>
public sealed class CoAttentionReferenceTests
{
    private static readonly int[] ALengths = [3, 1];
    private static readonly int[] BLengths = [2, 4];

    private static string Yaml(string pool, string aShape) => $$"""
        model: TinyCoAttention
        modalities:
          a: { shape: {{aShape}} }
          b: { shape: [4, 2] }
        fusion:
          co: { op: co_attention, inputs: [a, b], width: 4, heads: 2, dropout: 0.1, pool: {{pool}} }
        heads:
          y: { type: regressor, input: co, outputs: 1 }
        losses:
          - { type: mse, head: y }
        """;

    [Theory]
    [InlineData("mean")]
    [InlineData("max")]
    [InlineData("min")]
    [InlineData("first")]
    [InlineData("last")]
    public void Two_padded_sequences_equal_the_plain_attention_both_ways(string pool)
    {
        var model = ReferenceModel.Compile(Yaml(pool, "[3, 3]"));
        var a = ReferenceModel.FixedSequences(2, 3, 3, salt: 1);
        var b = ReferenceModel.FixedSequences(2, 4, 2, salt: 2);
        var outputs = model.Forward(ReferenceModel.Sequences("a", a, ALengths), ReferenceModel.Sequences("b", b, BLengths));
        var expected = Enumerable.Range(0, 2).Select(i => Plain(model, a[i], b[i], ALengths[i], BLengths[i], pool)).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["co"], tolerance: 1e-5);
    }

    [Fact]
    public void A_vector_input_is_one_step()
    {
        var model = ReferenceModel.Compile(Yaml("mean", "[3]"));
        var a = ReferenceModel.FixedVectors(2, 3, salt: 3);
        var b = ReferenceModel.FixedSequences(2, 4, 2, salt: 4);
        var outputs = model.Forward(ReferenceModel.Vectors("a", a), ReferenceModel.Sequences("b", b, BLengths));
        var expected = Enumerable.Range(0, 2).Select(i => Plain(model, [a[i]], b[i], 1, BLengths[i], "mean")).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["co"], tolerance: 1e-5);
    }

    [Fact]
    public void Steps_beyond_the_lengths_change_no_output()
    {
        var model = ReferenceModel.Compile(Yaml("max", "[3, 3]"));
        var a = ReferenceModel.FixedSequences(2, 3, 3, salt: 5);
        var b = ReferenceModel.FixedSequences(2, 4, 2, salt: 6);
        float[] Run(double[][][] x, double[][][] y) =>
            model.Forward(ReferenceModel.Sequences("a", x, ALengths), ReferenceModel.Sequences("b", y, BLengths)).Representations["co"].ToArray();
        Assert.Equal(Run(a, b), Run(Garbage.Beyond(a, ALengths), Garbage.Beyond(b, BLengths)));
    }

    private static double[] Plain(ReferenceModel model, double[][] a, double[][] b, int aLength, int bLength, string pool)
    {
        var pa = PlainMath.Linear(a, model.Get("co.proj.a.weight"), model.Get("co.proj.a.bias"));
        var pb = PlainMath.Linear(b, model.Get("co.proj.b.weight"), model.Get("co.proj.b.bias"));
        double[][] Attend(string module, double[][] query, double[][] keys, int keyLength) => PlainMath.MultiheadAttention(
            query, keys, keys, model.Get(module + ".in_proj_weight"), model.Get(module + ".in_proj_bias"),
            model.Get(module + ".out_proj.weight"), model.Get(module + ".out_proj.bias"), heads: 2,
            Enumerable.Range(0, keys.Length).Select(j => j >= keyLength).ToArray()).Output;
        var aStream = Attend("co.b_to_a", pa, pb, bLength);
        var bStream = Attend("co.a_to_b", pb, pa, aLength);
        return PlainMath.Concat(Pool(aStream.Take(aLength).ToArray(), pool), Pool(bStream.Take(bLength).ToArray(), pool));
    }

    private static double[] Pool(double[][] rows, string pool) => pool switch
    {
        "mean" => PlainMath.Mean(rows),
        "max" => Enumerable.Range(0, rows[0].Length).Select(j => rows.Max(r => r[j])).ToArray(),
        "min" => Enumerable.Range(0, rows[0].Length).Select(j => rows.Min(r => r[j])).ToArray(),
        "first" => rows[0],
        _ => rows[^1],
    };
}
