using Fusion.Runtime;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The reference harness on the transformer encoder op: the generated module's output equals
/// <see cref="PlainMath.TransformerEncoderLayer"/> for post- and pre-norm, ReLU and GELU, and padded
/// steps (masked keys) change no valid step.
/// </summary>
public sealed class TransformerReferenceTests
{
    [Theory]
    [InlineData(false, "relu")]
    [InlineData(true, "gelu")]
    public void Two_layer_encoder_equals_the_plain_layers(bool normFirst, string activation)
    {
        string yaml = $$"""
            model: TinyTransformer
            modalities:
              x: { shape: [3, 4] }
            encoders:
              enc: { op: transformer, input: x, layers: 2, heads: 2, ff: 6, dropout: 0.1, activation: {{activation}}, norm_first: {{(normFirst ? "true" : "false")}} }
            fusion:
              pooled: { op: pool, input: enc, mode: mean }
            heads:
              y: { type: regressor, input: pooled, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        var x = ReferenceModel.FixedSequences(2, 3, 4, salt: 1);
        int[] lengths = [3, 2];
        var outputs = model.Forward(ReferenceModel.Sequences("x", x, lengths));

        Func<double, double> act = activation == "gelu" ? PlainMath.Gelu : PlainMath.Relu;
        var expected = x.Select((sample, b) =>
        {
            var padding = Enumerable.Range(0, 3).Select(t => t >= lengths[b]).ToArray();
            var h = sample;
            for (int layer = 0; layer < 2; layer++)
            {
                h = PlainMath.TransformerEncoderLayer(h, model.Get, $"enc.layers.{layer}.", heads: 2, normFirst, act, padding);
            }

            return PlainMath.Mean(h.Take(lengths[b]).ToList());
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["pooled"]);
    }
}
