using Fusion.Spec.Ir;

namespace Fusion.Spec.Tests;

/// <summary>
/// The <c>dtw</c> loss: <c>between</c> two sequences of one width (nodes, node members, or a
/// sequence modality against a node), <c>gamma</c> &gt;= 0 (0.1) and <c>cost</c>
/// (squared_euclidean); each misuse is the diagnostic the other losses give for it.
/// </summary>
public class DtwLossBindingTests
{
    private const string Model = """
        model: M
        modalities:
          audio: { shape: [20, 8] }
          vision: { shape: [12, 5] }
          pooled: { shape: [8] }
        encoders:
          a: { op: linear, input: audio, out: 6 }
          v: { op: linear, input: vision, out: 6 }
          w: { op: linear, input: vision, out: 8 }
          p: { op: pool, input: a, mode: mean }
        fusion:
          joint: { op: concat, inputs: [p, pooled] }
        heads:
          score: { type: regressor, input: joint }
          z: { type: embedding, input: joint, dim: 6 }
        losses:
          - { type: mse, head: score }

        """;

    private static string Single(string lossLine, string id)
    {
        var result = SpecText.Parse(Model + lossLine + "\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(id, d.Id);
        return d.Message;
    }

    [Fact]
    public void DefaultsAreSoftDtwWithGammaOneTenthAndTheSquaredEuclideanCost()
    {
        var spec = SpecText.Valid(Model + "  - { type: dtw, between: [a, v] }\n");

        var loss = spec.Losses.Single(l => l.Type == LossType.Dtw);
        Assert.Equal("dtw", loss.Name);
        Assert.Equal(["a", "v"], loss.Between.Select(b => b.Text));
        Assert.Equal(0.1, loss.Options.GetFloat("gamma"));
        Assert.Equal("squared_euclidean", loss.Options.GetText("cost"));
    }

    [Fact]
    public void GammaZeroEveryCostAndASequenceModalityAgainstANodeCheck()
    {
        var spec = SpecText.Valid(Model + """
              - { type: dtw, between: [a, v], gamma: 0, cost: euclidean, weight: 0.5 }
              - { type: dtw, between: [w, audio], gamma: 2.5, cost: cosine }

            """);

        var losses = spec.Losses.Where(l => l.Type == LossType.Dtw).ToList();
        Assert.Equal(["dtw", "dtw_2"], losses.Select(l => l.Name));
        Assert.Equal((0.0, "euclidean"), (losses[0].Options.GetFloat("gamma"), losses[0].Options.GetText("cost")));
        Assert.Equal((2.5, "cosine"), (losses[1].Options.GetFloat("gamma"), losses[1].Options.GetText("cost")));
        Assert.Equal(ProducerKind.Modality, losses[1].Between[1].ProducerKind);
    }

    [Fact]
    public void ANegativeGammaIsOutOfRange() =>
        Assert.Contains("'gamma' is -0.5", Single("  - { type: dtw, between: [a, v], gamma: -0.5 }", "FUS009"));

    [Fact]
    public void AnUnknownCostListsTheAcceptedOnes() =>
        Assert.Contains("squared_euclidean", Single("  - { type: dtw, between: [a, v], cost: manhattan }", "FUS002"));

    [Fact]
    public void WidthsMustAgree() =>
        Assert.Contains("width 6, the width of 'a'", Single("  - { type: dtw, between: [a, w] }", "FUS007"));

    [Fact]
    public void BothSidesMustBeSequences()
    {
        Assert.Contains("expects a sequence [N, d]", Single("  - { type: dtw, between: [a, p] }", "FUS007"));
        Assert.Contains("expects a sequence [N, d]", Single("  - { type: dtw, between: [z, v] }", "FUS007"));
    }

    [Fact]
    public void TwoModalitiesOrAHeadOfAnotherKindAreTheWrongKind()
    {
        Assert.Contains("it needs a node on at least one side", Single("  - { type: dtw, between: [audio, audio] }", "FUS011"));
        Assert.Contains("which is a regressor head", Single("  - { type: dtw, between: [score, v] }", "FUS011"));
    }

    [Fact]
    public void ItTakesBetweenNotANodeOrAHead()
    {
        var diagnostics = SpecText.Parse(Model + "  - { type: dtw, node: a }\n").Diagnostics;
        Assert.Equal(["FUS008", "FUS001"], diagnostics.Select(d => d.Id));
        Assert.Contains("unknown key 'node'", diagnostics[1].Message);
        Assert.Contains("'between'", Single("  - { type: dtw }", "FUS008"));
    }
}
