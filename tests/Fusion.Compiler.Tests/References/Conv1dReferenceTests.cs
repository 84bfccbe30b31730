namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The conv1d encoder with lengths: each sample convolved as its unpadded sequence with <c>padding</c>
/// zeros on both sides (PyTorch's cross-correlation, weight <c>[C_out, C_in, k]</c>), then the activation;
/// its output length <c>floor((L + 2p - k) / s) + 1</c> is what the following pool honours.
/// </summary>
public sealed class Conv1dReferenceTests
{
    [Theory]
    [InlineData(3, 1, 0, "mean")]
    [InlineData(3, 2, 1, "max")]
    [InlineData(2, 2, 1, "last")]
    public void Convolution_over_each_unpadded_sequence_then_the_pool(int kernel, int stride, int padding, string mode)
    {
        string yaml = $$"""
            model: TinyConv
            modalities:
              x: { shape: [6, 2] }
            encoders:
              conv:   { op: conv1d, input: x, channels: 3, kernel: {{kernel}}, stride: {{stride}}, padding: {{padding}}, activation: tanh }
              pooled: { op: pool, input: conv, mode: {{mode}} }
            heads:
              y: { type: regressor, input: pooled, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        var x = ReferenceModel.FixedSequences(3, 6, 2, salt: 1);
        int[] lengths = [6, 3, 4];
        var outputs = model.Forward(ReferenceModel.Sequences("x", x, lengths));

        var weight = model.Get("conv.weight");
        var bias = model.Get("conv.bias");
        var expected = x.Select((steps, s) =>
        {
            int outLength = (lengths[s] + 2 * padding - kernel) / stride + 1;
            var y = new List<double[]>();
            for (int t = 0; t < outLength; t++)
            {
                var step = new double[3];
                for (int o = 0; o < 3; o++)
                {
                    double sum = bias[o];
                    for (int c = 0; c < 2; c++)
                    {
                        for (int k = 0; k < kernel; k++)
                        {
                            int source = t * stride - padding + k;
                            if (source >= 0 && source < lengths[s]) sum += weight[(o * 2 + c) * kernel + k] * steps[source][c];
                        }
                    }

                    step[o] = Math.Tanh(sum);
                }

                y.Add(step);
            }

            return mode switch
            {
                "mean" => PlainMath.Mean(y),
                "max" => Enumerable.Range(0, 3).Select(o => y.Max(r => r[o])).ToArray(),
                _ => y[^1],
            };
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["pooled"], 1e-5);
    }
}
