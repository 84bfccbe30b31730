using Fusion.Runtime.Nn;
using Fusion.Runtime.Operators;

namespace Fusion.Runtime.Tests;

/// <summary>
/// The graph fusion operators (<see cref="GraphConvolutionFusion"/>, <see cref="GraphAttentionFusion"/>):
/// finite-difference gradients with respect to the inputs and every parameter, over a declared graph
/// and the fully connected one; the GCN propagation matrix; and the locality of both (a node that is not
/// a neighbour of i has no effect on i after one layer).
/// </summary>
public class GraphFusionTests
{
    private static readonly InputWidth[] MixedWidths = [new("a", 3), new("b", 2), new("c", 2)];

    private static readonly (string, string)[] Star = [("a", "b"), ("a", "c")];

    private static Tensor[] Inputs(ulong seed) => GradientChecker.Inputs(seed, [2, 3], [2, 2], [2, 2]);

    private static IReadOnlyList<(string, string)> Edges(bool declared) =>
        declared ? Star : GraphAdjacency.AllPairs(MixedWidths.Select(i => i.Name).ToArray());

    [Theory]
    [InlineData(true, Activation.Tanh, GraphReadout.Concat)]
    [InlineData(false, Activation.Tanh, GraphReadout.Mean)]
    [InlineData(true, Activation.Relu, GraphReadout.Mean)]
    public void Gcn_gradients(bool declared, Activation activation, GraphReadout readout)
    {
        var gcn = new GraphConvolutionFusion(MixedWidths, 2, 2, Edges(declared), activation, readout, new RandomSource(3));
        using (Tensor.NoGrad())
        {
            gcn.Layer(0).Bias!.CopyFrom(Tensor.FromArray([0.3f, -0.2f], 2));    // zero at first: give the bias a say
            gcn.Layer(1).Bias!.CopyFrom(Tensor.FromArray([-0.1f, 0.4f], 2));
        }

        GradientChecker.Check(x => gcn.Forward([x[0], x[1], x[2]]), GradientChecker.WithParameters(Inputs(4), gcn));
    }

    [Theory]
    [InlineData(true, 2, 2, GraphReadout.Mean)]
    [InlineData(false, 2, 2, GraphReadout.Concat)]
    [InlineData(true, 1, 1, GraphReadout.Concat)]
    public void Gat_gradients(bool declared, int heads, int layers, GraphReadout readout)
    {
        var gat = new GraphAttentionFusion(MixedWidths, 2, heads, layers, Edges(declared), readout, new RandomSource(5));
        using (Tensor.NoGrad())
        {
            for (int i = 0; i < layers; i++) gat.Layer(i).Bias.CopyFrom(Tensor.Uniform(new RandomSource(6 + (ulong)i), -0.3f, 0.3f, heads * 2));
        }

        GradientChecker.Check(x => gat.Forward([x[0], x[1], x[2]]), GradientChecker.WithParameters(Inputs(7), gat));
    }

    [Fact]
    public void The_gcn_propagation_matrix_is_the_normalised_adjacency_with_self_loops()
    {
        // star a-b, a-c: degrees in A + I are a 3, b 2, c 2
        var graph = new GraphAdjacency(["a", "b", "c"], Star);
        var p = graph.SymmetricNormalized().ToArray();
        double[] expected =
        [
            1 / 3.0, 1 / Math.Sqrt(6), 1 / Math.Sqrt(6),
            1 / Math.Sqrt(6), 1 / 2.0, 0,
            1 / Math.Sqrt(6), 0, 1 / 2.0,
        ];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], p[i], 6);
    }

    [Fact]
    public void Declared_edges_are_undirected_and_a_self_edge_adds_nothing()
    {
        var graph = new GraphAdjacency(["a", "b", "c"], [("b", "a"), ("c", "c")]);
        Assert.True(graph.Connected(0, 1));
        Assert.True(graph.Connected(1, 0));
        Assert.False(graph.Connected(0, 2));
        Assert.Equal(1, graph.Degree(2));
        Assert.Throws<ArgumentException>(() => new GraphAdjacency(["a", "b"], [("a", "x")]));
    }

    [Fact]
    public void One_gcn_layer_reads_only_the_neighbours()
    {
        var gcn = new GraphConvolutionFusion(MixedWidths, 2, 1, Star, Activation.Tanh, GraphReadout.Concat, new RandomSource(8));
        AssertLocal(xs => gcn.Forward(xs), width: 2);
    }

    [Fact]
    public void One_gat_layer_reads_only_the_neighbours()
    {
        var gat = new GraphAttentionFusion(MixedWidths, 2, 2, 1, Star, GraphReadout.Concat, new RandomSource(9));
        AssertLocal(xs => gat.Forward(xs), width: 4);
    }

    [Fact]
    public void Gat_attention_is_a_softmax_over_the_neighbours_with_slope_0_2()
    {
        // one head of width 1, no projections (every input has width 1): node states are scalars
        InputWidth[] inputs = [new("a", 1), new("b", 1), new("c", 1)];
        var gat = new GraphAttentionFusion(inputs, 1, 1, 1, Star, GraphReadout.Concat, new RandomSource(10));
        using (Tensor.NoGrad())
        {
            gat.Layer(0).Weight.CopyFrom(Tensor.FromArray([2f], 1, 1));
            gat.Layer(0).Attention.CopyFrom(Tensor.FromArray([0.5f, -1.5f], 1, 2));
            gat.Layer(0).Bias.CopyFrom(Tensor.FromArray([0.1f], 1));
        }

        double[] x = [0.4, -0.7, 1.3];
        var y = gat.Forward([.. x.Select(v => Tensor.FromArray([(float)v], 1, 1))]).ToArray();
        double[] z = [.. x.Select(v => 2 * v)];
        int[][] neighbours = [[0, 1, 2], [0, 1], [0, 2]];
        for (int i = 0; i < 3; i++)
        {
            var e = neighbours[i].Select(j => 0.5 * z[i] - 1.5 * z[j]).Select(v => v >= 0 ? v : 0.2 * v).ToArray();
            var w = e.Select(Math.Exp).ToArray();
            double h = neighbours[i].Select((j, k) => w[k] / w.Sum() * z[j]).Sum() + 0.1;
            double expected = h > 0 ? h : Math.Exp(h) - 1;
            Assert.Equal(expected, y[i], 5);
        }
    }

    /// <summary>Changing input c (not a neighbour of b in the star a-b, a-c) leaves node b's state as it was, and changes node a's.</summary>
    private static void AssertLocal(Func<Tensor[], Tensor> forward, int width)
    {
        var xs = Inputs(11);
        var before = forward(xs).ToArray();
        var changed = xs.ToArray();
        changed[2] = xs[2] + 1f;
        var after = forward(changed).ToArray();
        int nodes = 3;
        for (int b = 0; b < 2; b++)
        {
            var node = (int n) => Enumerable.Range(b * nodes * width + n * width, width);
            Assert.All(node(1), k => Assert.Equal(before[k], after[k]));
            Assert.Contains(node(0), k => before[k] != after[k]);
        }
    }
}
