namespace Fusion.Compiler.Graph;

/// <summary>
/// One vertex of a drawn fusion graph: <see cref="Name"/> is the spec's name (unique across
/// the graph), <see cref="Label"/> the text shown in the box.
/// </summary>
public sealed class GraphVertex
{
    public GraphVertex(string name, GraphVertexKind kind, string label)
    {
        Name = name;
        Kind = kind;
        Label = label;
    }

    public string Name { get; }

    public GraphVertexKind Kind { get; }

    public string Label { get; }
}
