namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Low-rank fusion (methods.md sections 0 and 2): factors <c>W_m [R, d_m + 1, D]</c>,
/// <c>h = sum_r w_r prod_m ([1; x_m] W_m^(r)) + b</c> with <c>fusion_weights w [R]</c>, <c>fusion_bias b [D]</c>.
/// </summary>
public sealed class LowRankReferenceTests
{
    [Fact]
    public void Weighted_sum_over_ranks_of_the_products_of_the_factor_projections()
    {
        const string yaml = """
            model: TinyLmf
            modalities:
              a: { shape: [2] }
              b: { shape: [3] }
              c: { shape: [1] }
            fusion:
              lmf: { op: lowrank, inputs: [a, b, c], rank: 3, out: 4 }
            heads:
              y: { type: regressor, input: lmf, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        string[] names = ["a", "b", "c"];
        int[] widths = [2, 3, 1];
        const int rank = 3, width = 4;
        var inputs = names.Select((n, m) => ReferenceModel.FixedVectors(3, widths[m], salt: m + 1)).ToArray();
        var outputs = model.Forward(names.Select((n, m) => ReferenceModel.Vectors(n, inputs[m])).ToArray());

        var w = model.Get("lmf.fusion_weights");
        var bias = model.Get("lmf.fusion_bias");
        Assert.Equal(rank, w.Length);
        var expected = inputs[0].Select((_, s) =>
        {
            var h = bias.Select(v => (double)v).ToArray();
            for (int r = 0; r < rank; r++)
            {
                var product = Enumerable.Repeat(1.0, width).ToArray();
                for (int m = 0; m < names.Length; m++)
                {
                    var factor = model.Get($"lmf.factors.{names[m]}");       // [R, d + 1, D] row-major
                    double[] augmented = [1, .. inputs[m][s]];
                    for (int o = 0; o < width; o++)
                    {
                        double projection = 0;
                        for (int i = 0; i < augmented.Length; i++) projection += augmented[i] * factor[(r * augmented.Length + i) * width + o];
                        product[o] *= projection;
                    }
                }

                for (int o = 0; o < width; o++) h[o] += w[r] * product[o];
            }

            return h;
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["lmf"], 1e-5);
    }
}
