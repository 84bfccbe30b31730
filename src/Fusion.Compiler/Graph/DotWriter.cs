using System.Text;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Graph;

/// <summary>
/// Draws a fusion graph in Graphviz dot (left to right), every identifier quoted, every edge
/// labelled with its shape. Vertex shapes: modality <c>ellipse</c>, context <c>cylinder</c>,
/// node <c>box</c>, head <c>hexagon</c>, loss <c>cds</c>. Output is deterministic and ends
/// with a newline.
/// </summary>
public static class DotWriter
{
    public static string Write(FusionSpec spec, bool includeLosses = false) =>
        Write(FusionGraph.From(spec, includeLosses));

    public static string Write(FusionGraph graph)
    {
        if (graph is null)
        {
            throw new ArgumentNullException(nameof(graph));
        }

        var text = new StringBuilder();
        text.Append("digraph ").Append(Quote(graph.Title)).Append(" {\n");
        text.Append("    rankdir=LR;\n");
        foreach (var vertex in graph.Vertices)
        {
            text.Append("    ").Append(Quote(vertex.Name)).Append(" [shape=").Append(Shape(vertex.Kind))
                .Append(", label=").Append(Quote(vertex.Label)).Append("];\n");
        }

        foreach (var edge in graph.Edges)
        {
            text.Append("    ").Append(Quote(edge.From)).Append(" -> ").Append(Quote(edge.To))
                .Append(" [label=").Append(Quote(edge.Label)).Append("];\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string Shape(GraphVertexKind kind) => kind switch
    {
        GraphVertexKind.Modality => "ellipse",
        GraphVertexKind.Context => "cylinder",
        GraphVertexKind.Head => "hexagon",
        GraphVertexKind.Loss => "cds",
        _ => "box",
    };

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
