namespace Fusion.Compiler.Tests.References;

/// <summary>
/// A sequence loss (dtw, sinkhorn) over a side whose lengths only <c>Forward</c> computes (a conv1d's
/// output lengths) reads them through <c>Output</c>: garbage beyond the input lengths changes neither
/// the loss nor anything else, while the same garbage inside the lengths does change the loss.
/// </summary>
public sealed class ComputedLengthsLossTests
{
    [Theory]
    [InlineData("{ type: dtw, name: align, between: [a_conv, v_steps], gamma: 0.1 }")]
    [InlineData("{ type: sinkhorn, name: align, between: [a_conv, v_steps], epsilon: 0.5, iterations: 20 }")]
    public void Padded_steps_of_a_conv1d_side_change_no_loss(string loss)
    {
        string yaml = $$"""
            model: ComputedLengths
            modalities:
              a: { shape: [9, 3] }
              v: { shape: [5, 2] }
            encoders:
              a_conv: { op: conv1d, input: a, channels: 2, kernel: 3, stride: 2 }
              v_steps: { op: linear, input: v, out: 2 }
              a_vec: { op: pool, input: a_conv, mode: mean }
            heads:
              e: { type: embedding, input: a_vec, dim: 2 }
            losses:
              - {{loss}}
            """;
        var model = ReferenceModel.Compile(yaml);
        var a = ReferenceModel.FixedSequences(3, 9, 3, salt: 1);
        var v = ReferenceModel.FixedSequences(3, 5, 2, salt: 2);
        int[] aLengths = [9, 5, 3];
        int[] vLengths = [5, 2, 4];

        double Align(double[][][] aSteps, double[][][] vSteps) =>
            model.ForwardAndLoss(
                ReferenceModel.Sequences("a", aSteps, aLengths),
                ReferenceModel.Sequences("v", vSteps, vLengths)).Loss.Terms.Single(t => t.Name == "align").Value.Item();

        double clean = Align(a, v);
        double padded = Align(Garbage.Beyond(a, aLengths), Garbage.Beyond(v, vLengths));
        Assert.Equal(clean, padded, 1e-5 * Math.Max(1, Math.Abs(clean)));

        // the same garbage from the second step on, inside the lengths, is seen
        int[] early = [1, 1, 1];
        double seen = Align(Garbage.Beyond(a, early), v);
        Assert.True(Math.Abs(seen - clean) > 1e-3, $"garbage inside the lengths left the loss at {clean}");
    }
}
