namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Graph fusion with a GCN (methods.md sections 0 and 2): the modality vectors are the nodes (inputs
/// whose width is not <c>width</c> projected by <c>proj.&lt;input&gt;</c>), every layer computes
/// <c>H' = act(D^-1/2 (A + I) D^-1/2 H W^T + b)</c> over the undirected declared edges or, by default,
/// all pairs; the readout is the mean or the concatenation of the node states. The normalised
/// adjacency is built here by hand from the edge list.
/// </summary>
public sealed class GcnReferenceTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    private static readonly int[] Widths = [4, 3, 4];

    [Theory]
    [InlineData(true, "relu", "concat")]
    [InlineData(false, "tanh", "mean")]
    public void Two_layers_over_the_normalised_adjacency(bool declaredEdges, string activation, string readout)
    {
        string edges = declaredEdges ? ", edges: [[a, b], [c, a]]" : string.Empty;
        string yaml = $$"""
            model: TinyGcn
            modalities:
              a: { shape: [4] }
              b: { shape: [3] }
              c: { shape: [4] }
            fusion:
              g: { op: graph_gcn, inputs: [a, b, c], width: 4, layers: 2, activation: {{activation}}, readout: {{readout}}{{edges}} }
            heads:
              y: { type: regressor, input: g, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        Assert.Equal(
            ["g.proj.b.weight", "g.proj.b.bias", "g.layers.0.weight", "g.layers.0.bias", "g.layers.1.weight", "g.layers.1.bias"],
            model.Model.NamedParameters().Select(p => p.Name).Where(n => n.StartsWith("g.", StringComparison.Ordinal)).ToArray());
        var inputs = Widths.Select((w, m) => ReferenceModel.FixedVectors(2, w, salt: m + 1)).ToArray();
        var outputs = model.Forward(Names.Select((n, m) => ReferenceModel.Vectors(n, inputs[m])).ToArray());

        // A + I by hand: undirected edges, self loops; D the row sums; P = D^-1/2 (A + I) D^-1/2
        var adjacency = new double[3, 3];
        for (int i = 0; i < 3; i++) adjacency[i, i] = 1;
        (int, int)[] pairs = declaredEdges ? [(0, 1), (2, 0)] : [(0, 1), (0, 2), (1, 2)];
        foreach (var (i, j) in pairs)
        {
            adjacency[i, j] = 1;
            adjacency[j, i] = 1;
        }

        var degree = Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Sum(j => adjacency[i, j])).ToArray();
        var p = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++) p[i, j] = adjacency[i, j] / Math.Sqrt(degree[i] * degree[j]);
        }

        Func<double, double> act = activation == "relu" ? PlainMath.Relu : Math.Tanh;
        var expected = inputs[0].Select((_, s) =>
        {
            var h = Names.Select((n, m) => Widths[m] == 4 ? inputs[m][s] : PlainMath.Linear(inputs[m][s], model.Get($"g.proj.{n}.weight"), model.Get($"g.proj.{n}.bias"))).ToArray();
            for (int layer = 0; layer < 2; layer++)
            {
                var transformed = h.Select(x => PlainMath.Linear(x, model.Get($"g.layers.{layer}.weight"), null)).ToArray();
                var bias = model.Get($"g.layers.{layer}.bias");
                h = Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 4)
                    .Select(f => act(Enumerable.Range(0, 3).Sum(j => p[i, j] * transformed[j][f]) + bias[f]))
                    .ToArray()).ToArray();
            }

            return readout == "concat" ? PlainMath.Concat(h) : PlainMath.Mean(h);
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["g"], 1e-5);
    }
}
