namespace Fusion.Compiler.Graph;

/// <summary>
/// One edge of a drawn fusion graph, from a producer to a consumer, labelled with the
/// inferred per-sample shape of the value that flows along it (for a member of a
/// multi-output node, the member's name and shape: <c>image_proj [256]</c>).
/// </summary>
public sealed class GraphEdge
{
    public GraphEdge(string from, string to, string label)
    {
        From = from;
        To = to;
        Label = label;
    }

    public string From { get; }

    public string To { get; }

    public string Label { get; }
}
