namespace Fusion.Spec.Tests;

/// <summary>The state-dict keys of every op, as the language reference's state-dict column gives them.</summary>
public class OpLayoutTests
{
    private const string Modalities = """
        a: { shape: [10] }
        b: { shape: [6] }
        c: { shape: [4] }
        d: { shape: [10] }
        s: { shape: [50, 74] }
        img: { shape: [3, 32, 32] }
        tok: { shape: [20], kind: tokens, vocab: 1000 }
        """;

    /// <summary>The keys of PyTorch's TransformerEncoderLayer i under a prefix, width w, feed-forward ff.</summary>
    private static string Transformer(string prefix, int w, int ff, int layer = 0) =>
        $"{prefix}.layers.{layer}.self_attn.in_proj_weight [{3 * w}, {w}]; {prefix}.layers.{layer}.self_attn.in_proj_bias [{3 * w}]; " +
        $"{prefix}.layers.{layer}.self_attn.out_proj.weight [{w}, {w}]; {prefix}.layers.{layer}.self_attn.out_proj.bias [{w}]; " +
        $"{prefix}.layers.{layer}.linear1.weight [{ff}, {w}]; {prefix}.layers.{layer}.linear1.bias [{ff}]; " +
        $"{prefix}.layers.{layer}.linear2.weight [{w}, {ff}]; {prefix}.layers.{layer}.linear2.bias [{w}]; " +
        $"{prefix}.layers.{layer}.norm1.weight [{w}]; {prefix}.layers.{layer}.norm1.bias [{w}]; " +
        $"{prefix}.layers.{layer}.norm2.weight [{w}]; {prefix}.layers.{layer}.norm2.bias [{w}]";

    public static TheoryData<string, string> Layouts() => new()
    {
        { "{ op: identity, input: s }", "" },
        { "{ op: pool, input: s }", "" },
        { "{ op: concat, inputs: [a, b] }", "" },
        { "{ op: tensor, inputs: [a, b] }", "" },
        { "{ op: mcb, inputs: [a, b] }", "" },
        { "{ op: modality_dropout, inputs: [a, b] }", "" },
        { "{ op: linear, input: a, out: 8, bias: false }", "n.weight [8, 10]" },
        { "{ op: linear, input: s, out: 8 }", "n.weight [8, 74]; n.bias [8]" },
        { "{ op: mlp, input: a, hidden: [16], out: 8, norm: layer }", "n.layers.0.weight [16, 10]; n.layers.0.bias [16]; n.layers.1.weight [8, 16]; n.layers.1.bias [8]; n.norms.0.weight [16]; n.norms.0.bias [16]" },
        { "{ op: projection, input: a, out: 8 }", "n.fc1.weight [8, 10]; n.fc1.bias [8]; n.fc2.weight [8, 8]; n.fc2.bias [8]; n.norm.weight [8]; n.norm.bias [8]" },
        { "{ op: conv1d, input: s, channels: 16, kernel: 5 }", "n.weight [16, 74, 5]; n.bias [16]" },
        { "{ op: conv2d, input: img, channels: 8 }", "n.weight [8, 3, 3, 3]; n.bias [8]" },
        { "{ op: embedding, input: tok, dim: 12 }", "n.weight [1000, 12]" },
        { "{ op: gru, input: s, hidden: 20 }", "n.weight_ih_l0 [60, 74]; n.weight_hh_l0 [60, 20]; n.bias_ih_l0 [60]; n.bias_hh_l0 [60]" },
        { "{ op: transformer, input: s, heads: 2, ff: 32 }", Transformer("n", 74, 32) },
        { "{ op: late, inputs: [a, b], out: 3, combine: weighted }", "n.weights [2]; n.heads.a.weight [3, 10]; n.heads.a.bias [3]; n.heads.b.weight [3, 6]; n.heads.b.bias [3]" },
        { "{ op: late, inputs: [a, b], out: 3 }", "n.heads.a.weight [3, 10]; n.heads.a.bias [3]; n.heads.b.weight [3, 6]; n.heads.b.bias [3]" },
        { "{ op: weighted, inputs: [a, d] }", "n.weights [2]" },
        { "{ op: gmu, inputs: [a, b], out: 7 }", "n.hidden.a.weight [7, 10]; n.hidden.b.weight [7, 6]; n.gate.weight [7, 16]" },
        { "{ op: gmu, inputs: [a, b, c], out: 7 }", "n.hidden.a.weight [7, 10]; n.hidden.b.weight [7, 6]; n.hidden.c.weight [7, 4]; n.gate.weight [21, 20]" },
        { "{ op: dynamic_gate, inputs: [a, b], out: 5 }", "n.proj.a.weight [5, 10]; n.proj.a.bias [5]; n.proj.b.weight [5, 6]; n.proj.b.bias [5]; n.gate.weight [2, 16]; n.gate.bias [2]" },
        { "{ op: lowrank, inputs: [a, b], rank: 3, out: 5 }", "n.fusion_weights [3]; n.fusion_bias [5]; n.factors.a [3, 11, 5]; n.factors.b [3, 7, 5]" },
        { "{ op: film, inputs: [s, a] }", "n.gamma.weight [74, 10]; n.gamma.bias [74]; n.beta.weight [74, 10]; n.beta.bias [74]" },
        {
            "{ op: cross_attention, inputs: [a, b], width: 4, heads: 2, layers: 1 }",
            "n.proj.a.weight [4, 10]; n.proj.b.weight [4, 6]; " +
            "n.blocks.b.layers.0.norm_q.weight [4]; n.blocks.b.layers.0.norm_q.bias [4]; n.blocks.b.layers.0.norm_kv.weight [4]; n.blocks.b.layers.0.norm_kv.bias [4]; " +
            "n.blocks.b.layers.0.norm_ff.weight [4]; n.blocks.b.layers.0.norm_ff.bias [4]; " +
            "n.blocks.b.layers.0.attn.in_proj_weight [12, 4]; n.blocks.b.layers.0.attn.in_proj_bias [12]; n.blocks.b.layers.0.attn.out_proj.weight [4, 4]; n.blocks.b.layers.0.attn.out_proj.bias [4]; " +
            "n.blocks.b.layers.0.linear1.weight [16, 4]; n.blocks.b.layers.0.linear1.bias [16]; n.blocks.b.layers.0.linear2.weight [4, 16]; n.blocks.b.layers.0.linear2.bias [4]"
        },
        {
            "{ op: self_attention, inputs: [a, b], width: 8, heads: 2, ff: 16 }",
            "n.modality_embedding [2, 8]; n.proj.a.weight [8, 10]; n.proj.a.bias [8]; n.proj.b.weight [8, 6]; n.proj.b.bias [8]; " + Transformer("n.encoder", 8, 16)
        },
        {
            "{ op: co_attention, inputs: [a, b], heads: 2 }", // width = max d = 10
            "n.proj.a.weight [10, 10]; n.proj.a.bias [10]; n.proj.b.weight [10, 6]; n.proj.b.bias [10]; " +
            "n.a_to_b.in_proj_weight [30, 10]; n.a_to_b.in_proj_bias [30]; n.a_to_b.out_proj.weight [10, 10]; n.a_to_b.out_proj.bias [10]; " +
            "n.b_to_a.in_proj_weight [30, 10]; n.b_to_a.in_proj_bias [30]; n.b_to_a.out_proj.weight [10, 10]; n.b_to_a.out_proj.bias [10]"
        },
        {
            "{ op: graph_gcn, inputs: [a, b, c], width: 10, layers: 1, edges: [[a, b]] }", // a already has width 10: no projection
            "n.proj.b.weight [10, 6]; n.proj.b.bias [10]; n.proj.c.weight [10, 4]; n.proj.c.bias [10]; n.layers.0.weight [10, 10]; n.layers.0.bias [10]"
        },
        {
            "{ op: graph_gat, inputs: [a, b], width: 4, heads: 2, layers: 2 }",
            "n.proj.a.weight [4, 10]; n.proj.a.bias [4]; n.proj.b.weight [4, 6]; n.proj.b.bias [4]; " +
            "n.layers.0.weight [8, 4]; n.layers.0.attention [2, 8]; n.layers.0.bias [8]; n.layers.1.weight [8, 8]; n.layers.1.attention [2, 8]; n.layers.1.bias [8]"
        },
        {
            "{ op: autofusion, inputs: [a, b], latent: 4 }", // F = 16
            "n.encoder1.weight [8, 16]; n.encoder1.bias [8]; n.encoder2.weight [4, 8]; n.encoder2.bias [4]; n.decoder1.weight [8, 4]; n.decoder2.weight [16, 8]"
        },
        {
            "{ op: ganfusion, inputs: [a, b], latent: 4 }", // L = 4; autofusion of a's others: F = 6, of b's others: F = 10
            "n.autofusion.a.encoder1.weight [3, 6]; n.autofusion.a.encoder1.bias [3]; n.autofusion.a.encoder2.weight [4, 3]; n.autofusion.a.encoder2.bias [4]; n.autofusion.a.decoder1.weight [3, 4]; n.autofusion.a.decoder2.weight [6, 3]; " +
            "n.autofusion.b.encoder1.weight [5, 10]; n.autofusion.b.encoder1.bias [5]; n.autofusion.b.encoder2.weight [4, 5]; n.autofusion.b.encoder2.bias [4]; n.autofusion.b.decoder1.weight [5, 4]; n.autofusion.b.decoder2.weight [10, 5]; " +
            "n.generator.a.layers.0.weight [8, 10]; n.generator.a.layers.0.bias [8]; n.generator.a.layers.1.weight [8, 8]; n.generator.a.layers.1.bias [8]; n.generator.a.layers.2.weight [4, 8]; n.generator.a.layers.2.bias [4]; " +
            "n.generator.a.norms.0.weight [8]; n.generator.a.norms.0.bias [8]; n.generator.a.norms.1.weight [8]; n.generator.a.norms.1.bias [8]; " +
            "n.generator.b.layers.0.weight [8, 6]; n.generator.b.layers.0.bias [8]; n.generator.b.layers.1.weight [8, 8]; n.generator.b.layers.1.bias [8]; n.generator.b.layers.2.weight [4, 8]; n.generator.b.layers.2.bias [4]; " +
            "n.generator.b.norms.0.weight [8]; n.generator.b.norms.0.bias [8]; n.generator.b.norms.1.weight [8]; n.generator.b.norms.1.bias [8]; " +
            "n.discriminator.a.layers.0.weight [8, 4]; n.discriminator.a.layers.0.bias [8]; n.discriminator.a.layers.1.weight [8, 8]; n.discriminator.a.layers.1.bias [8]; n.discriminator.a.layers.2.weight [1, 8]; n.discriminator.a.layers.2.bias [1]; " +
            "n.discriminator.a.norms.0.weight [8]; n.discriminator.a.norms.0.bias [8]; n.discriminator.a.norms.1.weight [8]; n.discriminator.a.norms.1.bias [8]; " +
            "n.discriminator.b.layers.0.weight [8, 4]; n.discriminator.b.layers.0.bias [8]; n.discriminator.b.layers.1.weight [8, 8]; n.discriminator.b.layers.1.bias [8]; n.discriminator.b.layers.2.weight [1, 8]; n.discriminator.b.layers.2.bias [1]; " +
            "n.discriminator.b.norms.0.weight [8]; n.discriminator.b.norms.0.bias [8]; n.discriminator.b.norms.1.weight [8]; n.discriminator.b.norms.1.bias [8]; " +
            "n.fuse1.weight [6, 8]; n.fuse1.bias [6]; n.fuse2.weight [4, 6]; n.fuse2.bias [4]"
        },
        {
            "{ op: misa, inputs: [a, b], hidden: 4 }",
            "n.project.a.weight [4, 10]; n.project.a.bias [4]; n.project.b.weight [4, 6]; n.project.b.bias [4]; " +
            "n.project_norm.a.weight [4]; n.project_norm.a.bias [4]; n.project_norm.b.weight [4]; n.project_norm.b.bias [4]; " +
            "n.private.a.weight [4, 4]; n.private.b.weight [4, 4]; n.shared.weight [4, 4]; n.reconstruct.a.weight [4, 4]; n.reconstruct.b.weight [4, 4]; " +
            Transformer("n.encoder", 4, 4)
        },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void NodeKeysFollowTheReference(string node, string expected)
    {
        var spec = SpecText.Valid(SpecText.Around(Modalities, "n: " + node, "a"));

        var keys = ParameterLayout.Trainable(spec).Where(p => p.Key.StartsWith("n.", StringComparison.Ordinal)).Select(p => p.ToString());

        Assert.Equal(expected, string.Join("; ", keys));
    }

    [Theory]
    [InlineData("add", "")]
    [InlineData("multiply", "")]
    [InlineData("concat", "n.combine.layers.0.weight [16, 16]; n.combine.layers.0.bias [16]; n.combine.layers.1.weight [8, 16]; n.combine.layers.1.bias [8]; ")]
    [InlineData("additive_attention", "n.combine.context.weight [8, 8]; n.combine.value.weight [8, 8]; n.combine.score.weight [1, 8]; n.combine.score.bias [1]; ")]
    [InlineData("general_attention", "n.combine.weight [8, 8]; ")]
    [InlineData("dot_attention", "n.combine.weight [8, 8]; n.combine.bias [8]; ")]
    public void CbmfKeysDependOnTheCombine(string combine, string combineKeys)
    {
        var spec = SpecText.Valid(SpecText.Around(
            Modalities,
            $"pa: {{ op: projection, input: a, out: 8 }}\npb: {{ op: projection, input: b, out: 8 }}\nn: {{ op: cbmf, inputs: [pa, pb], combine: {combine}, heads: 2, ff: 16, layers: 2 }}",
            "a",
            "context: {}"));

        var keys = ParameterLayout.Trainable(spec).Where(p => p.Key.StartsWith("n.", StringComparison.Ordinal)).Select(p => p.ToString());

        Assert.Equal(
            combineKeys + "n.norm.weight [8]; n.norm.bias [8]; " + Transformer("n.encoder", 8, 16, 0) + "; " + Transformer("n.encoder", 8, 16, 1),
            string.Join("; ", keys));
    }
}
