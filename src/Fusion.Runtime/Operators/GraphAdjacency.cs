namespace Fusion.Runtime.Operators;

/// <summary>
/// The graph of a graph fusion operator (<see cref="GraphConvolutionFusion"/>, <see cref="GraphAttentionFusion"/>):
/// the M input vectors are its nodes, in input order; every edge <c>[a, b]</c> names two inputs and
/// connects them both ways (the graph is undirected); every node has a self loop (<c>A + I</c>), so a
/// declared <c>[a, a]</c> adds nothing. <see cref="AllPairs"/> is the spec's default, every
/// unordered pair in input order.
/// </summary>
public sealed class GraphAdjacency
{
    private readonly bool[,] connected;

    public GraphAdjacency(IReadOnlyList<string> nodes, IReadOnlyList<(string First, string Second)> edges)
    {
        if (nodes.Count < 1) throw new ArgumentException("A graph needs at least one node.", nameof(nodes));
        if (nodes.Distinct(StringComparer.Ordinal).Count() != nodes.Count)
            throw new ArgumentException($"Graph nodes must have distinct names; got [{string.Join(", ", nodes)}].", nameof(nodes));
        Nodes = nodes.ToArray();
        Edges = edges.ToArray();
        connected = new bool[nodes.Count, nodes.Count];
        for (int i = 0; i < nodes.Count; i++) connected[i, i] = true;
        foreach (var (first, second) in edges)
        {
            int a = IndexOf(first), b = IndexOf(second);
            connected[a, b] = true;
            connected[b, a] = true;
        }
    }

    /// <summary>The node names (the inputs' names), in input order.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>The declared edges, as given.</summary>
    public IReadOnlyList<(string First, string Second)> Edges { get; }

    public int Count => Nodes.Count;

    /// <summary>Every unordered pair of distinct nodes, in input order: the fully connected graph.</summary>
    public static IReadOnlyList<(string First, string Second)> AllPairs(IReadOnlyList<string> nodes)
    {
        var pairs = new List<(string, string)>();
        for (int i = 0; i < nodes.Count; i++)
        {
            for (int j = i + 1; j < nodes.Count; j++) pairs.Add((nodes[i], nodes[j]));
        }

        return pairs;
    }

    /// <summary>True when node <paramref name="i"/> and node <paramref name="j"/> are joined by an edge or are the same node.</summary>
    public bool Connected(int i, int j) => connected[i, j];

    /// <summary>The degree of node <paramref name="i"/> in <c>A + I</c> (its self loop counted once).</summary>
    public int Degree(int i)
    {
        int degree = 0;
        for (int j = 0; j < Count; j++) degree += connected[i, j] ? 1 : 0;
        return degree;
    }

    /// <summary>GCN's propagation matrix <c>D^-1/2 (A + I) D^-1/2</c> as an <c>[M, M]</c> tensor (no gradient).</summary>
    public Tensor SymmetricNormalized()
    {
        var values = new float[Count * Count];
        for (int i = 0; i < Count; i++)
        {
            for (int j = 0; j < Count; j++)
            {
                if (connected[i, j]) values[i * Count + j] = (float)(1 / Math.Sqrt((double)Degree(i) * Degree(j)));
            }
        }

        return Tensor.FromArray(values, Count, Count);
    }

    /// <summary>An <c>[M, M]</c> mask, 1 where nodes i and j are not neighbours (attention scores to drop), 0 elsewhere.</summary>
    public Tensor NonNeighbours()
    {
        var values = new float[Count * Count];
        for (int i = 0; i < Count; i++)
        {
            for (int j = 0; j < Count; j++) values[i * Count + j] = connected[i, j] ? 0f : 1f;
        }

        return Tensor.FromArray(values, Count, Count);
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (Nodes[i] == name) return i;
        }

        throw new ArgumentException($"Graph edge names '{name}', which is not a node (nodes: {string.Join(", ", Nodes)}).");
    }
}
