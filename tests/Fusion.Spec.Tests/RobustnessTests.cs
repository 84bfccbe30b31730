using System.Text.RegularExpressions;

namespace Fusion.Spec.Tests;

/// <summary>Bad input gives diagnostics, never an exception: deterministic mutations of valid specs.</summary>
public class RobustnessTests
{
    private const string ManyOps = """
        model: Many
        modalities:
          text: { shape: [-1, 30] }
          audio: { shape: [20, 12] }
          image: { shape: [3, 16, 16] }
          tokens: { shape: [12], kind: tokens, vocab: 100 }
        encoders:
          text_h: { op: gru, input: text, hidden: 8, bidirectional: true }
          audio_c: { op: conv1d, input: audio, channels: 6, kernel: 3 }
          audio_h: { op: pool, input: audio_c }
          image_c: { op: conv2d, input: image, channels: 4, stride: 2 }
          image_h: { op: pool, input: image_c, mode: max }
          tok_e: { op: embedding, input: tokens, dim: 8 }
          tok_t: { op: transformer, input: tok_e, heads: 2, ff: 16 }
          tok_h: { op: pool, input: tok_t, mode: first }
        context: { width: 3, mlp: [4] }
        fusion:
          drop: { op: modality_dropout, inputs: [text_h, audio_h], p: 0.1 }
          gmu: { op: gmu, inputs: [drop.text_h, drop.audio_h, image_h], out: 8 }
          lmf: { op: lowrank, inputs: [gmu, tok_h], rank: 2, out: 8 }
          misa: { op: misa, inputs: [gmu, lmf, image_h], hidden: 8 }
          gat: { op: graph_gat, inputs: [gmu, lmf], width: 4, heads: 2, edges: [[gmu, lmf]] }
          mult: { op: cross_attention, inputs: [audio_c, tok_e], width: 6, heads: 2, layers: 1 }
          p1: { op: projection, input: gmu, out: 8 }
          p2: { op: projection, input: lmf, out: 8 }
          dfe: { op: cbmf, inputs: [p1, p2], contexts: [text, audio], heads: 2, ff: 8, combine: concat }
          af: { op: autofusion, inputs: [dfe.p1, dfe.p2], latent: 4 }
        heads:
          kind: { type: classifier, input: misa, classes: 3, hidden: [8] }
          za: { type: embedding, input: af, dim: 4 }
          zb: { type: embedding, input: gat, dim: 4 }
        losses:
          - { type: cross_entropy, head: kind, label_smoothing: 0.1 }
          - { type: contrastive, between: [za, zb], scale: learnable }
          - { type: difference, node: misa, weight: 0.3 }
          - { type: reconstruction, node: af }
        training:
          optimizer: { type: adamw, lr: 1.0e-3 }
          schedule: { type: cosine }
          epochs: 3
        data: { type: synthetic, samples: 64 }
        """;

    [Fact]
    public void TheManyOpSpecIsValid()
    {
        var spec = SpecText.Valid(ManyOps);

        Assert.Equal("[N, 30]", spec.FindNode("text_h")!.Inputs[0].Shape.ToString());
        Assert.Equal("[16]", spec.FindNode("text_h")!.Output!.ToString()); // bidirectional: 2 * 8
        Assert.Equal("[48]", spec.FindNode("misa")!.Output!.ToString()); // 2 * 3 * 8
        Assert.Equal("[18, 6]", spec.FindNode("mult")!.Output!.ToString()); // conv1d: 20 - 3 + 1 = 18 steps
        Assert.True(ParameterLayout.TrainableCount(spec) > 0);
    }

    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("FUSION_SPEC_FUZZ"), out var n) ? n : 150;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 8)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MutatedSpecsNeverThrow(int seed)
    {
        var random = new Random(seed);
        string[] replacements = ["0", "-1", "-7", "abc", "99999999999", "2147483647", "1000000000", "[]", "{}", "", "~", "\"8\"", "1.5", "[a, b]", "true", "- x"];
        var tokens = Regex.Matches(ManyOps, @"[A-Za-z_0-9.\-]+").Cast<Match>().ToList();
        for (int i = 0; i < Iterations; i++)
        {
            var text = ManyOps;
            int edits = 1 + random.Next(3);
            for (int e = 0; e < edits; e++)
            {
                var token = tokens[random.Next(tokens.Count)];
                if (token.Index + token.Length > text.Length)
                {
                    continue;
                }

                text = text.Substring(0, token.Index) + replacements[random.Next(replacements.Length)] + text.Substring(token.Index + token.Length);
            }

            if (random.Next(4) == 0)
            {
                text = text.Substring(0, random.Next(text.Length));
            }

            SpecResult? parsed = null;
            var thread = new Thread(() => parsed = SpecText.Parse(text)) { IsBackground = true };
            thread.Start();
            if (!thread.Join(TimeSpan.FromSeconds(5)))
            {
                File.WriteAllText("/tmp/hang.yaml", text);
                Assert.Fail("HANG");
            }

            var result = parsed!;

            Assert.Equal(result.HasErrors, result.Spec is null);
            Assert.All(result.Diagnostics, d => Assert.Matches("^FUS(0(0[0-9]|1[01])|100)$", d.Id));
            if (result.Spec is not null)
            {
                _ = ParameterLayout.Trainable(result.Spec);
                _ = ParameterLayout.Buffers(result.Spec);
            }
        }
    }

    [Fact]
    public void EveryLineDeletedInTurnNeverThrows()
    {
        var lines = ManyOps.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var text = string.Join("\n", lines.Take(i).Concat(lines.Skip(i + 1)));

            var result = SpecText.Parse(text);

            Assert.Equal(result.HasErrors, result.Spec is null);
        }
    }

    [Fact]
    public void SizesThatOverflowAreFus009()
    {
        var result = SpecText.Parse(SpecText.Around("s: { shape: [5, 4] }\na: { shape: [3] }", "r: { op: lstm, input: s, hidden: 1000000000 }", "a"));

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("FUS009", d.Id);
        Assert.Contains("overflow", d.Message);
    }
}
