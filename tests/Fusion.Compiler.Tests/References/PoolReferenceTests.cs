namespace Fusion.Compiler.Tests.References;

/// <summary>The pool op over a sequence with lengths: mean, max, min, first and last over the valid steps only.</summary>
public sealed class PoolReferenceTests
{
    [Theory]
    [InlineData("mean")]
    [InlineData("max")]
    [InlineData("min")]
    [InlineData("first")]
    [InlineData("last")]
    public void Each_mode_reduces_the_valid_steps(string mode)
    {
        string yaml = $$"""
            model: TinyPool
            modalities:
              x: { shape: [5, 3] }
            encoders:
              pooled: { op: pool, input: x, mode: {{mode}} }
            heads:
              y: { type: regressor, input: pooled, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        // padded steps hold values beyond every valid one, so a pool that reads them shows it
        var x = ReferenceModel.FixedSequences(4, 5, 3, salt: 1);
        int[] lengths = [5, 1, 3, 2];
        for (int s = 0; s < x.Length; s++)
        {
            for (int t = lengths[s]; t < 5; t++) x[s][t] = [(t % 2 == 0 ? 7.0 : -7.0), 9, -9];
        }

        var outputs = model.Forward(ReferenceModel.Sequences("x", x, lengths));
        var expected = x.Select((steps, s) =>
        {
            var valid = steps.Take(lengths[s]).ToList();
            return mode switch
            {
                "mean" => PlainMath.Mean(valid),
                "max" => Enumerable.Range(0, 3).Select(j => valid.Max(r => r[j])).ToArray(),
                "min" => Enumerable.Range(0, 3).Select(j => valid.Min(r => r[j])).ToArray(),
                "first" => valid[0],
                _ => valid[^1],
            };
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["pooled"], 1e-6);
    }
}
