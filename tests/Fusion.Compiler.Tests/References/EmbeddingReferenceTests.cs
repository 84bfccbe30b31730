using Fusion.Runtime.Data;

namespace Fusion.Compiler.Tests.References;

/// <summary>The embedding op on a token modality: row <c>id</c> of <c>weight [vocab, dim]</c> per token, the lengths kept for the pool.</summary>
public sealed class EmbeddingReferenceTests
{
    [Fact]
    public void Each_token_looks_up_its_row_and_padding_is_not_pooled()
    {
        const string yaml = """
            model: TinyEmbedding
            modalities:
              words: { shape: [4], kind: tokens, vocab: 6 }
            encoders:
              emb:    { op: embedding, input: words, dim: 3 }
              pooled: { op: pool, input: emb, mode: mean }
            heads:
              y: { type: regressor, input: pooled, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        long[][] ids = [[5, 0, 2, 2], [1, 4, 3, 3], [0, 5, 1, 0]];
        int[] lengths = [4, 2, 3];
        var outputs = model.Forward(DataColumn.FromLongs("words", ids.SelectMany(r => r).ToArray(), [4], lengths));

        var table = model.Get("emb.weight");
        double[] Row(long id) => Enumerable.Range(0, 3).Select(j => (double)table[id * 3 + j]).ToArray();
        var expected = ids.Select((sample, s) => PlainMath.Mean(sample.Take(lengths[s]).Select(Row).ToList())).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["pooled"], 1e-6);
    }
}
