using Fusion.Compiler.Graph;
using Fusion.Spec;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Tests;

public class GraphWriterTests
{
    private const string TinySpec = """
        model: Tiny
        modalities:
          text:  { shape: [300] }
          audio: { shape: [74] }
        encoders:
          text_h:  { op: linear, input: text, out: 16 }
          audio_h: { op: linear, input: audio, out: 8 }
        fusion:
          joint: { op: concat, inputs: [text_h, audio_h] }
        heads:
          sentiment: { type: regressor, input: joint, outputs: 1 }
        losses:
          - { type: l1, head: sentiment }
        """;

    private const string TinyCbmfSpec = """
        model: TinyCbmf
        modalities:
          image: { shape: [12] }
          text:  { shape: [10] }
        encoders:
          image_proj: { op: projection, input: image, out: 8 }
          text_proj:  { op: projection, input: text, out: 8 }
        context: { width: 3, mlp: [4], out: 8 }
        fusion:
          end: { op: cbmf, inputs: [image_proj, text_proj], heads: 2, ff: 16 }
        heads:
          image_emb: { type: embedding, input: end.image_proj, dim: 4 }
          text_emb:  { type: embedding, input: end.text_proj, dim: 4 }
        losses:
          - { type: contrastive, name: align, between: [image_emb, text_emb], weight: 0.5 }
        """;

    [Fact]
    public void MermaidOfTinySpec()
    {
        const string expected = """
            flowchart LR
                %% Tiny
                text(["text [300]"])
                audio(["audio [74]"])
                text_h["text_h: linear"]
                audio_h["audio_h: linear"]
                joint["joint: concat"]
                sentiment{{"sentiment: regressor"}}
                text -->|"[300]"| text_h
                audio -->|"[74]"| audio_h
                text_h -->|"[16]"| joint
                audio_h -->|"[8]"| joint
                joint -->|"[24]"| sentiment

            """;

        Assert.Equal(expected, MermaidWriter.Write(Check(TinySpec)));
    }

    [Fact]
    public void MermaidOfTinySpecWithLosses()
    {
        var text = MermaidWriter.Write(Check(TinySpec), includeLosses: true);

        Assert.EndsWith("""
                sentiment{{"sentiment: regressor"}}
                l1>"l1"]
                text -->|"[300]"| text_h
                audio -->|"[74]"| audio_h
                text_h -->|"[16]"| joint
                audio_h -->|"[8]"| joint
                joint -->|"[24]"| sentiment
                sentiment -->|"[1]"| l1

            """, text);
    }

    [Fact]
    public void DotOfTinySpec()
    {
        const string expected = """
            digraph "Tiny" {
                rankdir=LR;
                "text" [shape=ellipse, label="text [300]"];
                "audio" [shape=ellipse, label="audio [74]"];
                "text_h" [shape=box, label="text_h: linear"];
                "audio_h" [shape=box, label="audio_h: linear"];
                "joint" [shape=box, label="joint: concat"];
                "sentiment" [shape=hexagon, label="sentiment: regressor"];
                "text" -> "text_h" [label="[300]"];
                "audio" -> "audio_h" [label="[74]"];
                "text_h" -> "joint" [label="[16]"];
                "audio_h" -> "joint" [label="[8]"];
                "joint" -> "sentiment" [label="[24]"];
            }

            """;

        Assert.Equal(expected, DotWriter.Write(Check(TinySpec)));
    }

    [Fact]
    public void MermaidOfCbmfShowsContextMembersAndEscapesAKeywordName()
    {
        const string expected = """
            flowchart LR
                %% TinyCbmf
                image(["image [12]"])
                text(["text [10]"])
                context[("context [8]")]
                image_proj["image_proj: projection"]
                text_proj["text_proj: projection"]
                end_["end: cbmf"]
                image_emb{{"image_emb: embedding"}}
                text_emb{{"text_emb: embedding"}}
                align>"align: contrastive x 0.5"]
                image -->|"[12]"| image_proj
                text -->|"[10]"| text_proj
                context -->|"[8]"| end_
                image_proj -->|"[8]"| end_
                text_proj -->|"[8]"| end_
                end_ -->|"image_proj [8]"| image_emb
                end_ -->|"text_proj [8]"| text_emb
                image_emb -->|"[4]"| align
                text_emb -->|"[4]"| align

            """;

        Assert.Equal(expected, MermaidWriter.Write(Check(TinyCbmfSpec), includeLosses: true));
    }

    [Fact]
    public void DotKeepsKeywordNamesQuotedAsTheyAre()
    {
        var text = DotWriter.Write(Check(TinyCbmfSpec));

        Assert.Contains("    \"context\" [shape=cylinder, label=\"context [8]\"];\n", text);
        Assert.Contains("    \"end\" -> \"image_emb\" [label=\"image_proj [8]\"];\n", text);
    }

    [Fact]
    public void OutputIsDeterministic()
    {
        Assert.Equal(MermaidWriter.Write(Check(TinyCbmfSpec)), MermaidWriter.Write(Check(TinyCbmfSpec)));
        Assert.Equal(DotWriter.Write(Check(TinySpec)), DotWriter.Write(Check(TinySpec)));
    }

    private static FusionSpec Check(string yaml)
    {
        var result = SpecReader.Parse(yaml, "tiny.yaml");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return Assert.IsType<FusionSpec>(result.Spec);
    }
}
