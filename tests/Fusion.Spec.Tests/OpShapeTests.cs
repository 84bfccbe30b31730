using Fusion.Spec.Ir;

namespace Fusion.Spec.Tests;

/// <summary>Every op of the spec language parses and infers the output shape the language reference gives.</summary>
public class OpShapeTests
{
    private const string Modalities = """
        a: { shape: [10] }
        b: { shape: [6] }
        c: { shape: [4] }
        d: { shape: [10] }
        s: { shape: [50, 74] }
        t: { shape: [50, 32] }
        o: { shape: [-1, 74] }
        img: { shape: [3, 32, 32] }
        tok: { shape: [20], kind: tokens, vocab: 1000 }
        """;

    public static TheoryData<string, string> SingleOutputOps() => new()
    {
        // encoder ops (d = input width, N = steps)
        { "{ op: identity, input: s }", "[50, 74]" },
        { "{ op: identity, input: o }", "[N, 74]" },
        { "{ op: linear, input: a, out: 8 }", "[8]" },
        { "{ op: linear, input: s, out: 8, bias: false }", "[50, 8]" },
        { "{ op: mlp, input: a, hidden: [16, 12], out: 8, norm: layer, activation: gelu }", "[8]" },
        { "{ op: mlp, input: s, out: 5 }", "[50, 5]" },
        { "{ op: projection, input: a }", "[256]" },
        { "{ op: projection, input: s, out: 64 }", "[50, 64]" },
        { "{ op: conv1d, input: s, channels: 16, kernel: 5, stride: 2, padding: 1 }", "[24, 16]" }, // floor((50 + 2 - 5) / 2) + 1 = 24
        { "{ op: conv1d, input: o, channels: 16 }", "[N, 16]" },
        { "{ op: gru, input: s, hidden: 20 }", "[20]" },
        { "{ op: gru, input: s, hidden: 20, bidirectional: true, return: all }", "[50, 40]" },
        { "{ op: lstm, input: s, hidden: 8, layers: 2, bidirectional: true }", "[16]" },
        { "{ op: transformer, input: s, heads: 2, ff: 64 }", "[50, 74]" },
        { "{ op: conv2d, input: img, channels: 8, kernel: 3, stride: 2, padding: 1 }", "[8, 16, 16]" }, // floor((32 + 2 - 3) / 2) + 1 = 16
        { "{ op: embedding, input: tok, dim: 12 }", "[20, 12]" },
        { "{ op: pool, input: s }", "[74]" },
        { "{ op: pool, input: img, mode: max }", "[3]" },

        // fusion ops
        { "{ op: concat, inputs: [a, b] }", "[16]" },
        { "{ op: concat, inputs: [s, t] }", "[50, 106]" },
        { "{ op: late, inputs: [a, b], out: 3, combine: weighted }", "[3]" },
        { "{ op: weighted, inputs: [a, d] }", "[10]" },
        { "{ op: gmu, inputs: [a, b], out: 7 }", "[7]" },
        { "{ op: dynamic_gate, inputs: [a, b, c], out: 5 }", "[5]" },
        { "{ op: tensor, inputs: [a, b, c] }", "[385]" }, // 11 * 7 * 5
        { "{ op: lowrank, inputs: [a, b], rank: 4, out: 9 }", "[9]" },
        { "{ op: mcb, inputs: [a, b], out: 128 }", "[128]" },
        { "{ op: film, inputs: [s, a] }", "[50, 74]" },
        { "{ op: film, inputs: [b, a] }", "[6]" },
        { "{ op: cross_attention, inputs: [s, t, a] }", "[50, 60]" }, // 2 sources * width 30
        { "{ op: cross_attention, inputs: [a, s], width: 8, heads: 2 }", "[1, 8]" }, // a vector target is one step
        { "{ op: self_attention, inputs: [a, b, c], heads: 2 }", "[10]" }, // width = max d_m
        { "{ op: self_attention, inputs: [a, b, c], width: 8, pool: flatten }", "[24]" },
        { "{ op: co_attention, inputs: [s, t], heads: 2 }", "[148]" }, // 2 * max(74, 32)
        { "{ op: graph_gcn, inputs: [a, b, c], width: 16, edges: [[a, b], [b, c]] }", "[16]" },
        { "{ op: graph_gcn, inputs: [a, b, c], width: 16, edges: [[a, b]], readout: concat }", "[48]" },
        { "{ op: graph_gat, inputs: [a, b, c], width: 8, heads: 2 }", "[16]" },
        { "{ op: graph_gat, inputs: [a, b, c], width: 8, heads: 2, readout: concat }", "[48]" },
        { "{ op: autofusion, inputs: [a, b], latent: 4 }", "[4]" },
        { "{ op: ganfusion, inputs: [a, b, c], latent: 8 }", "[8]" },
        { "{ op: misa, inputs: [a, b, c], hidden: 16 }", "[96]" }, // 2 * M * hidden
    };

    [Theory]
    [MemberData(nameof(SingleOutputOps))]
    public void InfersTheOutputShape(string node, string expected)
    {
        var spec = SpecText.Valid(SpecText.Around(Modalities, "n: " + node, "a"));

        var n = spec.FindNode("n")!;
        Assert.Equal(expected, n.Output!.ToString());
        Assert.Empty(n.Members);
    }

    [Fact]
    public void EncoderOpsWorkInTheEncodersSection()
    {
        var spec = SpecText.Valid("""
            model: Probe
            modalities:
              audio: { shape: [50, 74] }
            encoders:
              audio_h: { op: gru, input: audio, hidden: 32 }
            heads:
              score: { type: regressor, input: audio_h }
            losses:
              - { type: mse, head: score }
            """);

        var node = Assert.Single(spec.Nodes);
        Assert.Equal(NodeSection.Encoders, node.Section);
        Assert.Equal("encoders", node.Group);
        Assert.Equal(Shape.Of(32), node.Output);
        Assert.Equal(ModalityKind.Vector, node.OutputKind);
    }

    [Fact]
    public void ModalityDropoutHasOneMemberPerInput()
    {
        var spec = SpecText.Valid(SpecText.Around(Modalities, """
            n: { op: modality_dropout, inputs: [a, s], p: 0.3 }
            m: { op: concat, inputs: [n.a, b] }
            """, "m"));

        var n = spec.FindNode("n")!;
        Assert.Null(n.Output);
        Assert.Equal(["a: [10]", "s: [50, 74]"], n.Members.Select(m => $"{m.Name}: {m.Shape}"));
        Assert.Equal("[16]", spec.FindNode("m")!.Output!.ToString());
        Assert.Equal("a", spec.FindNode("m")!.Inputs[0].Member);
    }

    [Fact]
    public void CbmfHasOneMemberPerInputOfWidthP()
    {
        var spec = SpecText.Valid("""
            model: Cbmf
            modalities:
              image: { shape: [512] }
              text: { shape: [49, 768] }
            encoders:
              image_p: { op: projection, input: image, out: 32 }
              text_p: { op: projection, input: text, out: 32 }
            context:
              width: 3
              std: 0.3
              mlp: [8, 16]
            fusion:
              dfe: { op: cbmf, inputs: [image_p, text_p], combine: additive_attention, ff: 64 }
            heads:
              image_z: { type: embedding, input: dfe.image_p, dim: 16 }
              text_z: { type: embedding, input: dfe.text_p, dim: 16 }
            losses:
              - { type: contrastive, between: [image_z, text_z], scale: learnable }
            """);

        var dfe = spec.FindNode("dfe")!;
        Assert.Equal(["image_p: [32]", "text_p: [32]"], dfe.Members.Select(m => $"{m.Name}: {m.Shape}"));
        Assert.Equal(["image", "text"], dfe.Attributes.GetTextList("contexts"));
        Assert.Equal(32, spec.Context!.Out); // defaulted from the cbmf inputs
        Assert.Equal(ProducerKind.Head, spec.Losses[0].Between[0].ProducerKind);
    }

    [Fact]
    public void DefaultsAreFilledInAndMarkedImplicit()
    {
        var spec = SpecText.Valid(SpecText.Around(Modalities, "n: { op: transformer, input: s, heads: 2 }", "a"));

        var attributes = spec.FindNode("n")!.Attributes;
        Assert.Equal(2048, attributes.GetInt("ff"));
        Assert.Equal(0.1, attributes.GetFloat("dropout"));
        Assert.True(attributes.Single(a => a.Name == "heads").IsExplicit);
        Assert.False(attributes.Single(a => a.Name == "ff").IsExplicit);
    }

    [Fact]
    public void NodesAreInTopologicalOrderWithDeclarationOrderForTies()
    {
        var spec = SpecText.Valid(SpecText.Around(Modalities, """
            late_user: { op: mlp, input: early, out: 4 }
            early: { op: concat, inputs: [a, b] }
            other: { op: mlp, input: c, out: 4 }
            """, "late_user"));

        Assert.Equal(["early", "late_user", "other"], spec.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void HeadShapesFollowTheirType()
    {
        var spec = SpecText.Valid("""
            model: Heads
            modalities:
              x: { shape: [12] }
            heads:
              kind: { type: classifier, input: x, classes: 5, hidden: [8] }
              level: { type: regressor, input: x, outputs: 2, target: y }
              tags: { type: multilabel, input: x, labels: 7 }
            losses:
              - { type: cross_entropy, head: kind }
              - { type: mse, head: level }
              - { type: bce, head: tags }
            """);

        Assert.Equal(["[5] []", "[2] [2]", "[7] [7]"], spec.Heads.Select(h => $"{h.OutputShape} {h.TargetShape}"));
        Assert.Equal(["kind", "y", "tags"], spec.Heads.Select(h => h.Target));
    }
}
