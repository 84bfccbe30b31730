using System.Text;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Graph;

/// <summary>
/// Draws a fusion graph as a Mermaid flowchart (left to right). Edge labels are quoted
/// (<c>text -->|"[300]"| text_h</c>) because Mermaid's parser does not accept square
/// brackets in a bare edge label. Vertex shapes: modality <c>([ ])</c>, context <c>[( )]</c>,
/// node <c>[ ]</c>, head <c>{{ }}</c>, loss <c>&gt; ]</c>. Output is deterministic and ends
/// with a newline.
/// </summary>
public static class MermaidWriter
{
    // Words Mermaid's flowchart lexer reads as keywords; a vertex with such a name gets a suffix.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "end", "graph", "flowchart", "flowchart-elk", "subgraph", "style", "default", "linkStyle",
        "interpolate", "classDef", "class", "click", "call", "href", "direction", "v",
        "_self", "_blank", "_parent", "_top",
    };

    public static string Write(FusionSpec spec, bool includeLosses = false) =>
        Write(FusionGraph.From(spec, includeLosses));

    public static string Write(FusionGraph graph)
    {
        if (graph is null)
        {
            throw new ArgumentNullException(nameof(graph));
        }

        var ids = AssignIds(graph);
        var text = new StringBuilder();
        text.Append("flowchart LR\n");
        text.Append("    %% ").Append(graph.Title).Append('\n');
        foreach (var vertex in graph.Vertices)
        {
            var (open, close) = Brackets(vertex.Kind);
            text.Append("    ").Append(ids[vertex.Name]).Append(open).Append('"')
                .Append(Escape(vertex.Label)).Append('"').Append(close).Append('\n');
        }

        foreach (var edge in graph.Edges)
        {
            text.Append("    ").Append(Id(ids, edge.From)).Append(" -->|\"").Append(Escape(edge.Label))
                .Append("\"| ").Append(Id(ids, edge.To)).Append('\n');
        }

        return text.ToString();
    }

    private static Dictionary<string, string> AssignIds(FusionGraph graph)
    {
        var names = new HashSet<string>(graph.Vertices.Select(v => v.Name), StringComparer.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var vertex in graph.Vertices)
        {
            var id = vertex.Name;
            if (Reserved.Contains(id))
            {
                do
                {
                    id += "_";
                }
                while (names.Contains(id) || ids.ContainsValue(id));
            }

            ids[vertex.Name] = id;
        }

        return ids;
    }

    // An edge can name a producer the graph does not draw only if the IR is inconsistent;
    // fall back to the name itself rather than fail.
    private static string Id(Dictionary<string, string> ids, string name) =>
        ids.TryGetValue(name, out var id) ? id : name;

    private static (string Open, string Close) Brackets(GraphVertexKind kind) => kind switch
    {
        GraphVertexKind.Modality => ("([", "])"),
        GraphVertexKind.Context => ("[(", ")]"),
        GraphVertexKind.Head => ("{{", "}}"),
        GraphVertexKind.Loss => (">", "]"),
        _ => ("[", "]"),
    };

    private static string Escape(string label) => label.Replace("\"", "#quot;");
}
