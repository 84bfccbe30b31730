namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The gru and lstm encoders against PyTorch's documented cells, run step by step in the test:
/// GRU <c>r, z, n</c> gate blocks (<c>n = tanh(W_in x + b_in + r (W_hn h + b_hn))</c>, <c>h' = (1 - z) n + z h</c>),
/// LSTM <c>i, f, g, o</c> (<c>c' = f c + i g</c>, <c>h' = o tanh(c')</c>); with lengths as
/// <c>pack_padded_sequence</c>: the forward direction stops at each sample's length, the reverse one
/// starts at its last valid step, outputs at padded steps are zero; <c>return: last</c> gives the last
/// layer's final states (forward then reverse), <c>return: all</c> every step of the last layer.
/// </summary>
public sealed class RecurrentReferenceTests
{
    private static readonly int[] Lengths = [4, 2, 3];

    [Theory]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void Last_state_of_a_two_layer_bidirectional_stack(string op)
    {
        string yaml = $$"""
            model: TinyRecurrentLast
            modalities:
              x: { shape: [4, 3] }
            encoders:
              enc: { op: {{op}}, input: x, hidden: 2, layers: 2, bidirectional: true, dropout: 0.3 }
            heads:
              y: { type: regressor, input: enc, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        var x = ReferenceModel.FixedSequences(3, 4, 3, salt: 1);
        var outputs = model.Forward(ReferenceModel.Sequences("x", x, Lengths));

        var expected = x.Select((steps, s) =>
        {
            var input = steps.Take(Lengths[s]).ToArray();
            double[] lastForward = [], lastReverse = [];
            for (int layer = 0; layer < 2; layer++)
            {
                var forward = Run(model, op, input, $"enc.", $"l{layer}");
                var reverse = Run(model, op, input.Reverse().ToArray(), "enc.", $"l{layer}_reverse").Reverse().ToArray();
                input = forward.Select((h, t) => PlainMath.Concat(h, reverse[t])).ToArray();
                lastForward = forward[^1];
                lastReverse = reverse[0];
            }

            return PlainMath.Concat(lastForward, lastReverse);
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["enc"], 1e-5);
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void All_steps_of_a_bidirectional_layer_pooled_over_the_valid_steps(string op)
    {
        string yaml = $$"""
            model: TinyRecurrentAll
            modalities:
              x: { shape: [4, 3] }
            encoders:
              enc:  { op: {{op}}, input: x, hidden: 2, bidirectional: true, return: all }
              mean: { op: pool, input: enc, mode: mean }
              last: { op: pool, input: enc, mode: last }
            heads:
              y: { type: regressor, input: mean, outputs: 1 }
              z: { type: regressor, input: last, outputs: 1 }
            losses:
              - { type: mse, head: y }
              - { type: mse, head: z }
            """;
        var model = ReferenceModel.Compile(yaml);
        var x = ReferenceModel.FixedSequences(3, 4, 3, salt: 2);
        var outputs = model.Forward(ReferenceModel.Sequences("x", x, Lengths));

        var perStep = x.Select((steps, s) =>
        {
            var input = steps.Take(Lengths[s]).ToArray();
            var forward = Run(model, op, input, "enc.", "l0");
            var reverse = Run(model, op, input.Reverse().ToArray(), "enc.", "l0_reverse").Reverse().ToArray();
            return forward.Select((h, t) => PlainMath.Concat(h, reverse[t])).ToArray();
        }).ToArray();
        ReferenceModel.AssertClose(perStep.Select(h => PlainMath.Mean(h)).ToArray(), outputs.Representations["mean"], 1e-5);
        ReferenceModel.AssertClose(perStep.Select(h => h[^1]).ToArray(), outputs.Representations["last"], 1e-5);
    }

    /// <summary>One layer, one direction, from zero states: the hidden state after every step.</summary>
    private static double[][] Run(ReferenceModel model, string op, double[][] steps, string prefix, string suffix)
    {
        var wIh = model.Get($"{prefix}weight_ih_{suffix}");
        var wHh = model.Get($"{prefix}weight_hh_{suffix}");
        var bIh = model.Get($"{prefix}bias_ih_{suffix}");
        var bHh = model.Get($"{prefix}bias_hh_{suffix}");
        int hidden = bIh.Length / (op == "gru" ? 3 : 4);
        var h = new double[hidden];
        var c = new double[hidden];
        var result = new List<double[]>();
        foreach (var x in steps)
        {
            var gi = PlainMath.Linear(x, wIh, bIh);
            var gh = PlainMath.Linear(h, wHh, bHh);
            var next = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                if (op == "gru")
                {
                    double r = PlainMath.Sigmoid(gi[j] + gh[j]);
                    double z = PlainMath.Sigmoid(gi[hidden + j] + gh[hidden + j]);
                    double n = Math.Tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
                    next[j] = (1 - z) * n + z * h[j];
                }
                else
                {
                    double i = PlainMath.Sigmoid(gi[j] + gh[j]);
                    double f = PlainMath.Sigmoid(gi[hidden + j] + gh[hidden + j]);
                    double g = Math.Tanh(gi[2 * hidden + j] + gh[2 * hidden + j]);
                    double o = PlainMath.Sigmoid(gi[3 * hidden + j] + gh[3 * hidden + j]);
                    c[j] = f * c[j] + i * g;
                    next[j] = o * Math.Tanh(c[j]);
                }
            }

            h = next;
            result.Add(h);
        }

        return result.ToArray();
    }
}
