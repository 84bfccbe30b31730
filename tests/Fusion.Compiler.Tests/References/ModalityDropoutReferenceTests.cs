namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Modality dropout (methods.md section 2): the identity in eval mode; in training each sample zeroes
/// each modality with probability p, never all of them (when all would go, one chosen uniformly stays),
/// and rescales the kept ones by <c>M / kept</c>.
/// </summary>
public sealed class ModalityDropoutReferenceTests
{
    private const string Yaml = """
        model: TinyModalityDropout
        modalities:
          a: { shape: [2] }
          b: { shape: [3] }
          c: { shape: [2] }
        fusion:
          drop:  { op: modality_dropout, inputs: [a, b, c], p: 0.5 }
          joint: { op: concat, inputs: [drop.a, drop.b, drop.c] }
        heads:
          y: { type: regressor, input: joint, outputs: 1 }
        losses:
          - { type: mse, head: y }
        """;

    private static readonly int[] Widths = [2, 3, 2];

    [Fact]
    public void Eval_mode_is_the_identity()
    {
        var model = ReferenceModel.Compile(Yaml);
        var inputs = Inputs(5);
        var outputs = model.Forward(Columns(inputs));
        var expected = inputs[0].Select((_, s) => PlainMath.Concat(inputs.Select(x => x[s]).ToArray())).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["joint"], 1e-7);
    }

    [Fact]
    public void Training_zeroes_modalities_rescales_the_rest_and_never_drops_all()
    {
        var model = ReferenceModel.Compile(Yaml);
        model.Model.Train();
        const int batch = 64, batches = 40;
        var inputs = Inputs(batch);
        int samples = 0;
        var dropped = new int[3];
        for (int n = 0; n < batches; n++)
        {
            var joint = model.Forward(Columns(inputs)).Representations["joint"].ToArray();
            for (int s = 0; s < batch; s++)
            {
                var row = joint.AsSpan(s * 7, 7);
                var scales = new double[3];
                int offset = 0;
                for (int m = 0; m < 3; m++)
                {
                    // every element of the block is the input times one scale: 0 (dropped) or M / kept
                    scales[m] = row[offset] / inputs[m][s][0];
                    for (int j = 0; j < Widths[m]; j++)
                    {
                        Assert.True(Math.Abs(row[offset + j] - scales[m] * inputs[m][s][j]) <= 1e-5, $"sample {s}, modality {m}: not one scale");
                    }

                    offset += Widths[m];
                }

                int kept = scales.Count(v => Math.Abs(v) > 1e-6);
                Assert.True(kept >= 1, $"sample {s}: every modality dropped");
                for (int m = 0; m < 3; m++)
                {
                    if (Math.Abs(scales[m]) <= 1e-6)
                    {
                        dropped[m]++;
                    }
                    else
                    {
                        Assert.Equal(3.0 / kept, scales[m], 1e-5);
                    }
                }

                samples++;
            }
        }

        // P(dropped) = p - P(all three drawn dropped) / M = 0.5 - 0.125 / 3 = 0.4583; 2560 samples: sd 0.0098
        foreach (var count in dropped)
        {
            Assert.InRange(count / (double)samples, 0.4583 - 0.04, 0.4583 + 0.04);
        }
    }

    private static double[][][] Inputs(int batch) =>
        Widths.Select((w, m) => ReferenceModel.FixedVectors(batch, w, salt: m + 1).Select(r => PlainMath.Map(r, v => v >= 0 ? v + 0.5 : v - 0.5)).ToArray()).ToArray();

    private static Fusion.Runtime.Data.DataColumn[] Columns(double[][][] inputs) =>
        new[] { "a", "b", "c" }.Select((n, m) => ReferenceModel.Vectors(n, inputs[m])).ToArray();
}
