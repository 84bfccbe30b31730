using Fusion.Spec.Ir;

namespace Fusion.Compiler.Graph;

/// <summary>
/// The drawable view of a checked spec: modalities, the context section (when there is one),
/// encoder and fusion nodes in IR order, heads and, optionally, losses; an edge for every
/// input, labelled with the inferred shape. Vertices and edges come out in a fixed order
/// (declaration / topological order), so the text a writer makes from it is deterministic.
/// </summary>
public sealed class FusionGraph
{
    /// <summary>The vertex name used for the CBMF context section.</summary>
    public const string ContextVertexName = "context";

    private FusionGraph(string title, IReadOnlyList<GraphVertex> vertices, IReadOnlyList<GraphEdge> edges)
    {
        Title = title;
        Vertices = vertices;
        Edges = edges;
    }

    /// <summary>The model's name.</summary>
    public string Title { get; }

    public IReadOnlyList<GraphVertex> Vertices { get; }

    public IReadOnlyList<GraphEdge> Edges { get; }

    /// <summary>Builds the graph of <paramref name="spec"/>; losses are drawn when <paramref name="includeLosses"/>.</summary>
    public static FusionGraph From(FusionSpec spec, bool includeLosses)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var vertices = new List<GraphVertex>();
        var edges = new List<GraphEdge>();
        var taken = new HashSet<string>(StringComparer.Ordinal);

        foreach (var modality in spec.Modalities)
        {
            vertices.Add(new GraphVertex(modality.Name, GraphVertexKind.Modality, modality.Name + " " + modality.Shape));
            taken.Add(modality.Name);
        }

        foreach (var node in spec.Nodes)
        {
            taken.Add(node.Name);
        }

        foreach (var head in spec.Heads)
        {
            taken.Add(head.Name);
        }

        foreach (var loss in spec.Losses)
        {
            taken.Add(loss.Name);
        }

        string? contextName = null;
        if (spec.Context is { } context)
        {
            contextName = Unused(ContextVertexName, taken);
            vertices.Add(new GraphVertex(contextName, GraphVertexKind.Context, "context " + Shape.Of(context.Out)));
        }

        foreach (var node in spec.Nodes)
        {
            vertices.Add(new GraphVertex(node.Name, GraphVertexKind.Node, node.Name + ": " + node.Op));
            if (contextName is not null && node.Op == "cbmf")
            {
                edges.Add(new GraphEdge(contextName, node.Name, Shape.Of(spec.Context!.Out).ToString()));
            }

            foreach (var input in node.Inputs)
            {
                edges.Add(new GraphEdge(input.Producer, node.Name, EdgeLabel(input)));
            }
        }

        foreach (var head in spec.Heads)
        {
            vertices.Add(new GraphVertex(head.Name, GraphVertexKind.Head, head.Name + ": " + HeadTypeName(head.Type)));
            edges.Add(new GraphEdge(head.Input.Producer, head.Name, EdgeLabel(head.Input)));
        }

        if (includeLosses)
        {
            foreach (var loss in spec.Losses)
            {
                vertices.Add(new GraphVertex(loss.Name, GraphVertexKind.Loss, LossLabel(loss)));
                AddLossEdges(spec, loss, edges);
            }
        }

        return new FusionGraph(spec.Model, vertices, edges);
    }

    private static void AddLossEdges(FusionSpec spec, LossSpec loss, List<GraphEdge> edges)
    {
        if (loss.Head is { } headName)
        {
            var head = spec.FindHead(headName);
            edges.Add(new GraphEdge(headName, loss.Name, head?.OutputShape.ToString() ?? string.Empty));
        }

        foreach (var reference in loss.Between)
        {
            edges.Add(new GraphEdge(reference.Producer, loss.Name, EdgeLabel(reference)));
        }

        if (loss.Node is { } nodeName)
        {
            var node = spec.FindNode(nodeName);
            edges.Add(new GraphEdge(nodeName, loss.Name, node?.Output?.ToString() ?? string.Empty));
        }
    }

    private static string EdgeLabel(ValueReference reference) =>
        reference.Member is null ? reference.Shape.ToString() : reference.Member + " " + reference.Shape;

    private static string LossLabel(LossSpec loss)
    {
        var type = LossTypeName(loss.Type);
        var label = loss.Name == type ? type : loss.Name + ": " + type;
        return loss.Weight == 1.0
            ? label
            : label + " x " + loss.Weight.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The spec-language spelling of a head type (<c>classifier</c>, ...).</summary>
    public static string HeadTypeName(HeadType type) => type.ToString().ToLowerInvariant();

    /// <summary>The spec-language spelling of a loss type (<c>cross_entropy</c>, <c>l1</c>, ...).</summary>
    public static string LossTypeName(LossType type) => type switch
    {
        LossType.CrossEntropy => "cross_entropy",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string Unused(string name, HashSet<string> taken)
    {
        var candidate = name;
        while (taken.Contains(candidate))
        {
            candidate += "_";
        }

        taken.Add(candidate);
        return candidate;
    }
}
