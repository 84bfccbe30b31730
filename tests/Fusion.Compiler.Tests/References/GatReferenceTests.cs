namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Graph fusion with a GAT (methods.md sections 0 and 2): the modality vectors are the nodes (inputs
/// whose width is not <c>width</c> projected by <c>proj.&lt;input&gt;</c>); every layer and head k computes
/// <c>z_j = W_k h_j</c>, <c>e_ij = LeakyReLU_0.2(a_k^T [z_i || z_j])</c> for the neighbours j of i (self
/// loop included, edges undirected), <c>alpha_ij = softmax_j(e_ij)</c>, <c>sum_j alpha_ij z_j</c>; the heads
/// are concatenated, the bias added and ELU applied; the readout is the mean or the concatenation of the
/// node states. Every edge score is computed here by hand.
/// </summary>
public sealed class GatReferenceTests
{
    private const int Width = 4;

    private const int Heads = 2;

    private static readonly string[] Names = ["a", "b", "c"];

    private static readonly int[] Widths = [4, 3, 4];

    [Theory]
    [InlineData(true, "concat")]
    [InlineData(false, "mean")]
    public void Two_layers_of_two_heads_over_the_neighbours(bool declaredEdges, string readout)
    {
        string edges = declaredEdges ? ", edges: [[a, b], [c, a]]" : string.Empty;
        string yaml = $$"""
            model: TinyGat
            modalities:
              a: { shape: [4] }
              b: { shape: [3] }
              c: { shape: [4] }
            fusion:
              g: { op: graph_gat, inputs: [a, b, c], width: {{Width}}, heads: {{Heads}}, layers: 2, readout: {{readout}}{{edges}} }
            heads:
              y: { type: regressor, input: g, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        Assert.Equal(
            [
                "g.proj.b.weight", "g.proj.b.bias",
                "g.layers.0.weight", "g.layers.0.attention", "g.layers.0.bias",
                "g.layers.1.weight", "g.layers.1.attention", "g.layers.1.bias",
            ],
            model.Model.NamedParameters().Select(p => p.Name).Where(n => n.StartsWith("g.", StringComparison.Ordinal)).ToArray());
        var inputs = Widths.Select((w, m) => ReferenceModel.FixedVectors(2, w, salt: m + 1)).ToArray();
        var outputs = model.Forward(Names.Select((n, m) => ReferenceModel.Vectors(n, inputs[m])).ToArray());

        // the neighbours of every node, itself included: the star a-b, a-c, or every node
        int[][] neighbours = declaredEdges ? [[0, 1, 2], [0, 1], [0, 2]] : [[0, 1, 2], [0, 1, 2], [0, 1, 2]];
        var expected = inputs[0].Select((_, s) =>
        {
            var h = Names.Select((n, m) => Widths[m] == Width ? inputs[m][s] : PlainMath.Linear(inputs[m][s], model.Get($"g.proj.{n}.weight"), model.Get($"g.proj.{n}.bias"))).ToArray();
            for (int layer = 0; layer < 2; layer++)
            {
                var z = h.Select(x => PlainMath.Linear(x, model.Get($"g.layers.{layer}.weight"), null)).ToArray();   // [M][K*F]
                var attention = model.Get($"g.layers.{layer}.attention");                                               // [K, 2F]
                var bias = model.Get($"g.layers.{layer}.bias");
                var next = new double[3][];
                for (int i = 0; i < 3; i++)
                {
                    next[i] = new double[Heads * Width];
                    for (int k = 0; k < Heads; k++)
                    {
                        double Score(int j)
                        {
                            double e = 0;
                            for (int f = 0; f < Width; f++)
                            {
                                e += attention[k * 2 * Width + f] * z[i][k * Width + f];
                                e += attention[k * 2 * Width + Width + f] * z[j][k * Width + f];
                            }

                            return PlainMath.LeakyRelu(e, 0.2);
                        }

                        var alpha = PlainMath.Softmax(neighbours[i].Select(Score).ToArray());
                        for (int f = 0; f < Width; f++)
                        {
                            double sum = neighbours[i].Select((j, n) => alpha[n] * z[j][k * Width + f]).Sum();
                            next[i][k * Width + f] = PlainMath.Elu(sum + bias[k * Width + f]);
                        }
                    }
                }

                h = next;
            }

            return readout == "concat" ? PlainMath.Concat(h) : PlainMath.Mean(h);
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["g"], 1e-5);
    }
}
