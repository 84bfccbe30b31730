using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Graph fusion with a Graph Attention Network (Velickovic et al. 2018; methods.md sections 0 and 2),
/// the spec's <c>graph_gat</c> op. The M input vectors of a sample are the nodes of one graph
/// (<see cref="GraphAdjacency"/>: undirected edges, self loops). Each input whose width is not
/// <c>width</c> is first projected by a Linear <c>proj.&lt;input&gt;</c>. Every layer i, with K heads of
/// F = <c>width</c> features, computes for each head k: <c>z_j = W_k h_j</c> (rows <c>k*F .. k*F+F-1</c> of
/// <c>layers.i.weight [K*F, in]</c>), <c>e_ij = LeakyReLU_0.2(a_k^T [z_i || z_j])</c> with
/// <c>a_k = layers.i.attention[k] [2F]</c> (its first F entries weigh the updated node i, the last F
/// the neighbour j), <c>alpha_ij = softmax over the neighbours j of i (i itself included) of e_ij</c>,
/// <c>h'_i = sum_j alpha_ij z_j</c>; the heads are concatenated (head k at features <c>k*F ..</c>), the
/// bias <c>layers.i.bias [K*F]</c> is added and ELU applied, after every layer. The negative slope 0.2
/// is the GAT paper's (and PyTorch Geometric's). The readout is the mean of the node states
/// (<c>[B, K*F]</c>) or their concatenation in input order (<c>[B, M*K*F]</c>). No attention dropout.
/// Initialisation as PyTorch Geometric's <c>GATConv</c>: weights Xavier-uniform, each head's attention
/// halves uniform in <c>+-sqrt(6 / (K + F))</c>, biases zero; the projections as <see cref="Linear"/>.
/// </summary>
public sealed class GraphAttentionFusion : Module
{
    /// <summary>The negative slope of the LeakyReLU on the attention scores (GAT paper, PyTorch Geometric).</summary>
    public const float NegativeSlope = 0.2f;

    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly Linear?[] projections;
    private readonly ModuleList<AttentionLayer> layers;

    public GraphAttentionFusion(
        IReadOnlyList<InputWidth> inputs,
        int width,
        int heads,
        int layers,
        IReadOnlyList<(string First, string Second)> edges,
        GraphReadout readout,
        RandomSource generator)
    {
        if (inputs.Count < 1) throw new ArgumentException("GraphAttentionFusion needs at least one input.", nameof(inputs));
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "The head width must be positive.");
        if (heads < 1) throw new ArgumentOutOfRangeException(nameof(heads), heads, "A GAT layer needs at least one head.");
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), layers, "A GAT needs at least one layer.");
        this.inputs = inputs.ToArray();
        Width = width;
        Heads = heads;
        Readout = readout;
        Graph = new GraphAdjacency(inputs.Select(i => i.Name).ToArray(), edges);
        (var proj, projections) = GraphNodes.Projections(inputs, width, generator);
        if (proj is not null) RegisterModule("proj", proj);

        this.layers = RegisterModule("layers", new ModuleList<AttentionLayer>());
        for (int i = 0; i < layers; i++) this.layers.Append(new AttentionLayer(i == 0 ? width : heads * width, width, heads, generator));
    }

    /// <summary>F, the features of one head.</summary>
    public int Width { get; }

    /// <summary>K, the heads of every layer.</summary>
    public int Heads { get; }

    public GraphReadout Readout { get; }

    public GraphAdjacency Graph { get; }

    /// <summary>Layer <paramref name="index"/>.</summary>
    public AttentionLayer Layer(int index) => layers[index];

    /// <summary>The projection of input <paramref name="input"/>, or null when its width is already <see cref="Width"/>.</summary>
    public Linear? Projection(int input) => projections[input];

    /// <summary>The fused vectors: <c>[B, K*F]</c> (mean readout) or <c>[B, M*K*F]</c> (concat).</summary>
    public Tensor Forward(IReadOnlyList<Tensor> xs) => GraphNodes.Read(Readout, NodeStates(xs));

    /// <summary>The node states after the last layer, <c>[B, M, K*F]</c>.</summary>
    public Tensor NodeStates(IReadOnlyList<Tensor> xs)
    {
        OperatorChecks.Vectors(nameof(GraphAttentionFusion), xs, inputs);
        var h = GraphNodes.Stack(xs, projections);                                 // [B, M, in]
        bool complete = Enumerable.Range(0, Graph.Count).All(i => Enumerable.Range(0, Graph.Count).All(j => Graph.Connected(i, j)));
        var nonNeighbours = complete ? null : Graph.NonNeighbours();               // [M, M]
        foreach (var layer in layers) h = layer.Forward(h, nonNeighbours);
        return h;
    }

    /// <summary>One multi-head graph attention layer: <c>weight [K*F, in]</c>, <c>attention [K, 2F]</c>, <c>bias [K*F]</c>.</summary>
    public sealed class AttentionLayer : Module
    {
        private readonly int width;
        private readonly int heads;

        public AttentionLayer(int inFeatures, int width, int heads, RandomSource generator)
        {
            this.width = width;
            this.heads = heads;
            Weight = RegisterParameter("weight", Tensor.Empty(heads * width, inFeatures));
            Init.XavierUniform(Weight, generator);
            Attention = RegisterParameter("attention", Tensor.Empty(heads, 2 * width));
            float bound = MathF.Sqrt(6f / (heads + width));
            Init.Uniform(Attention, generator, -bound, bound);
            Bias = RegisterParameter("bias", Tensor.Zeros(heads * width));
        }

        public Tensor Weight { get; }

        public Tensor Attention { get; }

        public Tensor Bias { get; }

        /// <summary>
        /// <paramref name="h"/> <c>[B, M, in]</c> to <c>[B, M, K*F]</c>; <paramref name="nonNeighbours"/> <c>[M, M]</c>
        /// is 1 where j is not a neighbour of i (null: every pair is connected).
        /// </summary>
        public Tensor Forward(Tensor h, Tensor? nonNeighbours)
        {
            int batch = h.Size(0), nodes = h.Size(1);
            var z = Tensor.Linear(h, Weight).Reshape(batch, nodes, heads, width).Permute(0, 2, 1, 3);  // [B, K, M, F]
            var target = Attention.Slice(1, 0, width).Unsqueeze(-1);                                      // [K, F, 1]
            var neighbour = Attention.Slice(1, width, 2 * width).Unsqueeze(-1);                           // [K, F, 1]
            var scores = Tensor.MatMul(z, target) + Tensor.MatMul(z, neighbour).Transpose(-1, -2);        // [B, K, M(i), M(j)]
            scores = scores.LeakyRelu(NegativeSlope);
            if (nonNeighbours is not null) scores = scores.MaskedFill(nonNeighbours, float.NegativeInfinity);
            var alpha = scores.Softmax(-1);
            var aggregated = Tensor.MatMul(alpha, z).Permute(0, 2, 1, 3).Reshape(batch, nodes, heads * width);  // [B, M, K*F]
            return (aggregated + Bias).Elu();
        }
    }
}
