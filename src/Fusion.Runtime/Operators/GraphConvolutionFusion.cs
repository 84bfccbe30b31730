using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Graph fusion with a Graph Convolutional Network (Kipf and Welling 2017; methods.md sections 0 and 2),
/// the spec's <c>graph_gcn</c> op. The M input vectors of a sample are the nodes of one graph
/// (<see cref="GraphAdjacency"/>: undirected edges, self loops). Each input whose width is not
/// <c>width</c> is first projected by a Linear <c>proj.&lt;input&gt;</c> (weight <c>[width, d_m]</c>, bias).
/// Then every layer i computes <c>H' = act(P (H W_i^T) + b_i)</c> with <c>P = D^-1/2 (A + I) D^-1/2</c>,
/// <c>layers.i.weight [width, width]</c> and <c>layers.i.bias [width]</c>: the bias is added after the
/// propagation, as in PyTorch Geometric's <c>GCNConv</c>, and the activation follows every layer, the last
/// included. The readout is the mean of the node states (<c>[B, width]</c>) or their concatenation in
/// input order (<c>[B, M*width]</c>). Initialisation: the projections as <see cref="Linear"/>, the layer
/// weights Xavier-uniform and the layer biases zero (PyTorch Geometric's glorot/zeros).
/// </summary>
public sealed class GraphConvolutionFusion : Module
{
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly Linear?[] projections;
    private readonly ModuleList<Linear> layers;

    public GraphConvolutionFusion(
        IReadOnlyList<InputWidth> inputs,
        int width,
        int layers,
        IReadOnlyList<(string First, string Second)> edges,
        Activation activation,
        GraphReadout readout,
        RandomSource generator)
    {
        if (inputs.Count < 1) throw new ArgumentException("GraphConvolutionFusion needs at least one input.", nameof(inputs));
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "The node width must be positive.");
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), layers, "A GCN needs at least one layer.");
        this.inputs = inputs.ToArray();
        Width = width;
        Activation = activation;
        Readout = readout;
        Graph = new GraphAdjacency(inputs.Select(i => i.Name).ToArray(), edges);
        (var proj, projections) = GraphNodes.Projections(inputs, width, generator);
        if (proj is not null) RegisterModule("proj", proj);

        this.layers = RegisterModule("layers", new ModuleList<Linear>());
        for (int i = 0; i < layers; i++)
        {
            var layer = new Linear(width, width, generator);
            Init.XavierUniform(layer.Weight, generator);
            Init.Zeros(layer.Bias!);
            this.layers.Append(layer);
        }
    }

    public int Width { get; }

    public Activation Activation { get; }

    public GraphReadout Readout { get; }

    public GraphAdjacency Graph { get; }

    /// <summary>Layer <paramref name="index"/>: its <c>Weight [width, width]</c> and <c>Bias [width]</c>.</summary>
    public Linear Layer(int index) => layers[index];

    /// <summary>The projection of input <paramref name="input"/>, or null when its width is already <see cref="Width"/>.</summary>
    public Linear? Projection(int input) => projections[input];

    /// <summary>The fused vectors: <c>[B, width]</c> (mean readout) or <c>[B, M*width]</c> (concat).</summary>
    public Tensor Forward(IReadOnlyList<Tensor> xs) => GraphNodes.Read(Readout, NodeStates(xs));

    /// <summary>The node states after the last layer, <c>[B, M, width]</c>.</summary>
    public Tensor NodeStates(IReadOnlyList<Tensor> xs)
    {
        OperatorChecks.Vectors(nameof(GraphConvolutionFusion), xs, inputs);
        var h = GraphNodes.Stack(xs, projections);                                 // [B, M, width]
        var propagation = Graph.SymmetricNormalized();           // [M, M]
        foreach (var layer in layers)
        {
            var transformed = Tensor.Linear(h, layer.Weight);    // H W^T, [B, M, width]
            h = Activation.Apply(Tensor.MatMul(propagation, transformed) + layer.Bias!);
        }

        return h;
    }
}
