using Fusion.Runtime.Data;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The reference check of <c>self_attention</c> (methods.md section 2): each input vector projected (with
/// bias), plus its row of <c>modality_embedding</c>, is one token; two PyTorch post-norm ReLU encoder layers
/// (<see cref="PlainMath.TransformerEncoderLayer"/>) run over the tokens; mean, first or flatten pooling.
/// The op takes vectors only, so the padding check runs it after a GRU over a padded sequence: steps beyond
/// the lengths change no output.
/// </summary>
public sealed class SelfAttentionReferenceTests
{
    [Theory]
    [InlineData("mean")]
    [InlineData("first")]
    [InlineData("flatten")]
    public void Three_tokens_two_layers_equal_the_plain_encoder(string pool)
    {
        string yaml = $$"""
            model: TinySelfAttention
            modalities:
              a: { shape: [3] }
              b: { shape: [2] }
              c: { shape: [5] }
            fusion:
              sa: { op: self_attention, inputs: [a, b, c], width: 4, heads: 2, layers: 2, ff: 6, dropout: 0.1, pool: {{pool}} }
            heads:
              y: { type: regressor, input: sa, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        double[][][] inputs = [ReferenceModel.FixedVectors(2, 3, salt: 1), ReferenceModel.FixedVectors(2, 2, salt: 2), ReferenceModel.FixedVectors(2, 5, salt: 3)];
        string[] names = ["a", "b", "c"];
        var outputs = model.Forward(names.Select((n, m) => ReferenceModel.Vectors(n, inputs[m])).ToArray());

        var embedding = model.Get("sa.modality_embedding");
        var expected = Enumerable.Range(0, 2).Select(b =>
        {
            var tokens = names.Select((n, m) => PlainMath.Add(
                PlainMath.Linear(inputs[m][b], model.Get($"sa.proj.{n}.weight"), model.Get($"sa.proj.{n}.bias")),
                embedding.Skip(m * 4).Take(4).Select(e => (double)e).ToArray())).ToArray();
            for (int layer = 0; layer < 2; layer++)
            {
                tokens = PlainMath.TransformerEncoderLayer(tokens, model.Get, $"sa.encoder.layers.{layer}.", heads: 2);
            }

            return pool switch
            {
                "mean" => PlainMath.Mean(tokens),
                "first" => tokens[0],
                _ => PlainMath.Concat(tokens),
            };
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["sa"], tolerance: 1e-5);
    }

    [Fact]
    public void After_a_gru_over_a_padded_sequence_steps_beyond_the_lengths_change_no_output()
    {
        const string yaml = """
            model: TinySelfAttentionOverGru
            modalities:
              s: { shape: [4, 3] }
              a: { shape: [3] }
            encoders:
              h: { op: gru, input: s, hidden: 5 }
            fusion:
              sa: { op: self_attention, inputs: [h, a], width: 4, heads: 2, layers: 1, ff: 6, dropout: 0.1 }
            heads:
              y: { type: regressor, input: sa, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        int[] lengths = [2, 4];
        var s = ReferenceModel.FixedSequences(2, 4, 3, salt: 4);
        var a = ReferenceModel.FixedVectors(2, 3, salt: 5);
        float[] Run(double[][][] sequence) =>
            model.Forward(ReferenceModel.Sequences("s", sequence, lengths), ReferenceModel.Vectors("a", a)).Representations["sa"].ToArray();
        Assert.Equal(Run(s), Run(Garbage.Beyond(s, lengths)));
    }
}
