using Fusion.Runtime.Training;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The reference harness on CBMF (methods.md section 1): the generated module's context vectors
/// (<c>k_m = LayerNorm(MLP(c_m))</c>) and Deep Fusion Encoder (every combine, then
/// <c>A + TransformerEncoderLayer(LayerNorm(A))</c>, pooled over the valid tokens) equal a plain
/// double-precision computation, for vector inputs and for sequences with lengths; garbage steps
/// past the lengths change no output; <c>contexts</c> picks each input's context vector.
/// </summary>
public sealed class CbmfReferenceTests
{
    private const int P = 4;

    private static string Yaml(string shapeA, string shapeB, string combine, bool tanh, string pool, string? contexts = null) => $$"""
        model: TinyCbmf
        modalities:
          a: { shape: {{shapeA}} }
          b: { shape: {{shapeB}} }
        context:
          width: 3
          std: 0.3
          mlp: [5]
          out: {{P}}
        fusion:
          dfe: { op: cbmf, inputs: [a, b], combine: {{combine}}{{(combine == "additive_attention" ? $", tanh: {(tanh ? "true" : "false")}" : string.Empty)}}, layers: 1, heads: 2, ff: 6, dropout: 0.1, pool: {{pool}}{{(contexts is null ? string.Empty : $", contexts: {contexts}")}} }
        heads:
          ea: { type: embedding, input: dfe.a, dim: {{P}} }
          eb: { type: embedding, input: dfe.b, dim: {{P}} }
        losses:
          - { type: contrastive, between: [ea, eb] }
        """;

    [Theory]
    [InlineData("add", true)]
    [InlineData("multiply", true)]
    [InlineData("concat", true)]
    [InlineData("additive_attention", true)]
    [InlineData("additive_attention", false)]
    [InlineData("general_attention", true)]
    [InlineData("dot_attention", true)]
    public void Vector_inputs_equal_the_plain_computation(string combine, bool tanh)
    {
        var model = ReferenceModel.Compile(Yaml($"[{P}]", $"[{P}]", combine, tanh, "mean"));
        var a = ReferenceModel.FixedVectors(3, P, salt: 1);
        var b = ReferenceModel.FixedVectors(3, P, salt: 2);
        var outputs = model.Forward(ReferenceModel.Vectors("a", a), ReferenceModel.Vectors("b", b));

        var ka = PlainContext(model, "a");
        var kb = PlainContext(model, "b");
        ReferenceModel.AssertClose(a.Select(x => PlainEncoder(model, [x], ka, combine, tanh, "mean")).ToArray(), outputs.Representations["dfe.a"]);
        ReferenceModel.AssertClose(b.Select(x => PlainEncoder(model, [x], kb, combine, tanh, "mean")).ToArray(), outputs.Representations["dfe.b"]);
    }

    [Theory]
    [InlineData("add", true, "max")]
    [InlineData("multiply", true, "min")]
    [InlineData("concat", true, "first")]
    [InlineData("additive_attention", true, "mean")]
    [InlineData("additive_attention", false, "mean")]
    [InlineData("general_attention", true, "mean")]
    [InlineData("dot_attention", true, "max")]
    [InlineData("add", true, "mean")]
    public void Sequence_inputs_with_lengths_equal_the_plain_computation(string combine, bool tanh, string pool)
    {
        var model = ReferenceModel.Compile(Yaml($"[3, {P}]", $"[2, {P}]", combine, tanh, pool));
        var a = ReferenceModel.FixedSequences(3, 3, P, salt: 1);
        var b = ReferenceModel.FixedSequences(3, 2, P, salt: 2);
        int[] lengthsA = [3, 1, 2];
        int[] lengthsB = [2, 2, 1];
        var outputs = model.Forward(ReferenceModel.Sequences("a", a, lengthsA), ReferenceModel.Sequences("b", b, lengthsB));

        var ka = PlainContext(model, "a");
        var kb = PlainContext(model, "b");
        var expectedA = a.Select((s, i) => PlainEncoder(model, s.Take(lengthsA[i]).ToArray(), ka, combine, tanh, pool)).ToArray();
        var expectedB = b.Select((s, i) => PlainEncoder(model, s.Take(lengthsB[i]).ToArray(), kb, combine, tanh, pool)).ToArray();
        ReferenceModel.AssertClose(expectedA, outputs.Representations["dfe.a"]);
        ReferenceModel.AssertClose(expectedB, outputs.Representations["dfe.b"]);
    }

    [Theory]
    [InlineData("add", "mean")]
    [InlineData("multiply", "max")]
    [InlineData("concat", "min")]
    [InlineData("additive_attention", "mean")]
    [InlineData("general_attention", "first")]
    [InlineData("dot_attention", "mean")]
    public void Garbage_steps_past_the_lengths_change_no_output(string combine, string pool)
    {
        var model = ReferenceModel.Compile(Yaml($"[-1, {P}]", $"[-1, {P}]", combine, tanh: true, pool));
        var a = ReferenceModel.FixedSequences(3, 3, P, salt: 1);
        var b = ReferenceModel.FixedSequences(3, 2, P, salt: 2);
        int[] lengthsA = [3, 1, 2];
        int[] lengthsB = [2, 2, 1];
        var clean = model.Forward(ReferenceModel.Sequences("a", a, lengthsA), ReferenceModel.Sequences("b", b, lengthsB));
        var padded = model.Forward(
            ReferenceModel.Sequences("a", WithGarbage(a, lengthsA, 5), lengthsA),
            ReferenceModel.Sequences("b", WithGarbage(b, lengthsB, 4), lengthsB));

        foreach (var key in new[] { "dfe.a", "dfe.b" })
        {
            var expected = clean.Representations[key].ToArray();
            var actual = padded.Representations[key].ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"{key} element {i}: {expected[i]} without garbage, {actual[i]} with");
            }
        }
    }

    [Fact]
    public void Contexts_picks_the_context_vector_of_each_input()
    {
        var model = ReferenceModel.Compile(Yaml($"[{P}]", $"[{P}]", "add", tanh: true, "mean", contexts: "[b, a]"));
        var a = ReferenceModel.FixedVectors(2, P, salt: 3);
        var b = ReferenceModel.FixedVectors(2, P, salt: 4);
        var outputs = model.Forward(ReferenceModel.Vectors("a", a), ReferenceModel.Vectors("b", b));

        var ka = PlainContext(model, "a");
        var kb = PlainContext(model, "b");
        ReferenceModel.AssertClose(a.Select(x => PlainEncoder(model, [x], kb, "add", true, "mean")).ToArray(), outputs.Representations["dfe.a"]);
        ReferenceModel.AssertClose(b.Select(x => PlainEncoder(model, [x], ka, "add", true, "mean")).ToArray(), outputs.Representations["dfe.b"]);
    }

    [Fact]
    public void The_context_section_comes_first_and_its_keys_are_in_the_context_group()
    {
        var model = ReferenceModel.Compile(Yaml($"[{P}]", $"[{P}]", "concat", tanh: true, "mean"));
        var keys = model.Model.StateDict().Keys.ToList();
        Assert.Equal(
            ["context.vectors.a", "context.vectors.b", "context.mlp.layers.0.weight", "context.mlp.layers.0.bias",
             "context.mlp.layers.1.weight", "context.mlp.layers.1.bias", "context.mlp.norm.weight", "context.mlp.norm.bias"],
            keys.Take(8));
        Assert.All(keys.Take(8), k => Assert.Equal("context", model.Model.Descriptor.GroupOf(k)));
        Assert.Equal("fusion", model.Model.Descriptor.GroupOf("dfe.combine.layers.0.weight"));
    }

    [Fact]
    public void The_context_group_takes_its_own_learning_rate()
    {
        string yaml = Yaml($"[{P}]", $"[{P}]", "add", tanh: true, "mean") + """

            training:
              optimizer: { type: adamw, lr: 1.0e-3 }
              lr_groups: { context: 5.0e-3, fusion: 2.0e-3 }
            """;
        var model = ReferenceModel.Compile(yaml);
        var (optimizer, groups) = OptimizerFactory.Create(model.Model, model.Model.Descriptor.Training);
        Assert.Equal(["context", "fusion", "heads"], groups);
        Assert.Equal(8, optimizer.ParamGroups[0].Parameters.Count);
        Assert.Equal(5e-3f, optimizer.ParamGroups[0].LearningRate);
        Assert.Equal(2e-3f, optimizer.ParamGroups[1].LearningRate);
        Assert.Equal(1e-3f, optimizer.ParamGroups[2].LearningRate);
    }

    /// <summary><c>k_m</c>: Linear(3, 5), ReLU, Linear(5, P), LayerNorm on the modality's context vector.</summary>
    private static double[] PlainContext(ReferenceModel model, string modality)
    {
        var c = model.Get($"context.vectors.{modality}").Select(v => (double)v).ToArray();
        var h = PlainMath.Map(PlainMath.Linear(c, model.Get("context.mlp.layers.0.weight"), model.Get("context.mlp.layers.0.bias")), PlainMath.Relu);
        var k = PlainMath.Linear(h, model.Get("context.mlp.layers.1.weight"), model.Get("context.mlp.layers.1.bias"));
        return PlainMath.LayerNorm(k, model.Get("context.mlp.norm.weight"), model.Get("context.mlp.norm.bias"));
    }

    /// <summary>The Deep Fusion Encoder on one sample's valid tokens: combine, <c>A + layer(LayerNorm(A))</c>, pool.</summary>
    private static double[] PlainEncoder(ReferenceModel model, double[][] x, double[] k, string combine, bool tanh, string pool)
    {
        var a = PlainCombine(model, x, k, combine, tanh);
        var normed = a.Select(r => PlainMath.LayerNorm(r, model.Get("dfe.norm.weight"), model.Get("dfe.norm.bias"))).ToArray();
        var encoded = PlainMath.TransformerEncoderLayer(normed, model.Get, "dfe.encoder.layers.0.", heads: 2);
        var output = a.Select((r, i) => PlainMath.Add(r, encoded[i])).ToArray();
        return pool switch
        {
            "mean" => PlainMath.Mean(output),
            "max" => Enumerable.Range(0, P).Select(j => output.Max(r => r[j])).ToArray(),
            "min" => Enumerable.Range(0, P).Select(j => output.Min(r => r[j])).ToArray(),
            _ => output[0],
        };
    }

    /// <summary>A for every token, methods.md section 1.</summary>
    private static double[][] PlainCombine(ReferenceModel model, double[][] x, double[] k, string combine, bool tanh)
    {
        double[][] PlusAttended(double[] scores)
        {
            var alpha = PlainMath.Softmax(scores);
            var attended = Enumerable.Range(0, P).Select(j => x.Select((r, t) => alpha[t] * r[j]).Sum()).ToArray();
            return x.Select(r => PlainMath.Add(r, attended)).ToArray();
        }

        switch (combine)
        {
            case "add":
                return x.Select(r => PlainMath.Add(r, k)).ToArray();
            case "multiply":
                return x.Select(r => PlainMath.Multiply(r, k)).ToArray();
            case "concat":
                return x.Select(r =>
                {
                    var hidden = PlainMath.Map(PlainMath.Linear(PlainMath.Concat(r, k), model.Get("dfe.combine.layers.0.weight"), model.Get("dfe.combine.layers.0.bias")), PlainMath.Relu);
                    return PlainMath.Add(r, PlainMath.Linear(hidden, model.Get("dfe.combine.layers.1.weight"), model.Get("dfe.combine.layers.1.bias")));
                }).ToArray();
            case "additive_attention":
            {
                var contextTerm = PlainMath.Linear(k, model.Get("dfe.combine.context.weight"), null);
                var scores = x.Select(r =>
                {
                    var h = PlainMath.Add(contextTerm, PlainMath.Linear(r, model.Get("dfe.combine.value.weight"), null));
                    if (tanh)
                    {
                        h = PlainMath.Map(h, Math.Tanh);
                    }

                    return PlainMath.Linear(h, model.Get("dfe.combine.score.weight"), model.Get("dfe.combine.score.bias"))[0];
                }).ToArray();
                return PlusAttended(scores);
            }

            case "general_attention":
                return PlusAttended(x.Select(r => PlainMath.Dot(k, PlainMath.Linear(r, model.Get("dfe.combine.weight"), null))).ToArray());
            default:
            {
                var shift = PlainMath.Linear(k, model.Get("dfe.combine.weight"), model.Get("dfe.combine.bias"));
                return x.Select(r => PlainMath.Add(r, shift)).ToArray();
            }
        }
    }

    /// <summary>The samples extended to <paramref name="steps"/> steps, every step past its length (old or new) replaced by large garbage.</summary>
    private static double[][][] WithGarbage(double[][][] samples, int[] lengths, int steps) =>
        samples.Select((s, b) => Enumerable.Range(0, steps)
            .Select(t => t < lengths[b] ? s[t] : Enumerable.Range(0, P).Select(j => 50.0 * Math.Cos(3.0 * t + 7.0 * j + b)).ToArray())
            .ToArray()).ToArray();
}
