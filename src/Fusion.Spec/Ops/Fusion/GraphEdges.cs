using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary>The <c>edges</c> of a graph fusion node: checked against its inputs, all pairs by default.</summary>
internal static class GraphEdges
{
    /// <summary>Fills in the default edges (every unordered pair, in input order) and checks declared ones.</summary>
    public static bool Resolve(OpContext context)
    {
        var a = context.Attributes;
        var names = context.Inputs.Select(i => i.Name).ToList();
        if (!a.Has("edges"))
        {
            var pairs = new List<NamePair>();
            for (int i = 0; i < names.Count; i++)
            {
                for (int j = i + 1; j < names.Count; j++)
                {
                    pairs.Add(new NamePair(names[i], names[j]));
                }
            }

            a.Set("edges", new AttributeValue.PairList(pairs.ToEquatableArray()));
            return true;
        }

        bool ok = true;
        foreach (var edge in a.PairList("edges"))
        {
            foreach (var end in new[] { edge.First, edge.Second })
            {
                if (!names.Contains(end))
                {
                    context.Report(DiagnosticDescriptors.UndeclaredName(
                        a.LocationOf("edges"), end, $"an input of {context.Consumer}", Suggestions.Closest(end, names), names));
                    ok = false;
                }
            }
        }

        return ok;
    }

    /// <summary>True when the edges connect every pair of distinct inputs (in either direction).</summary>
    public static bool IsFullyConnected(IReadOnlyList<string> names, IEnumerable<NamePair> edges)
    {
        var set = new HashSet<(string, string)>();
        foreach (var e in edges)
        {
            set.Add((e.First, e.Second));
            set.Add((e.Second, e.First));
        }

        for (int i = 0; i < names.Count; i++)
        {
            for (int j = i + 1; j < names.Count; j++)
            {
                if (!set.Contains((names[i], names[j])))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary><c>proj.&lt;input&gt;</c>: a Linear for each input whose width is not the graph width.</summary>
    public static void AddProjections(NodeSpec node, ParameterSink sink, int width)
    {
        foreach (var input in node.Inputs)
        {
            if (input.Shape.Width != width)
            {
                sink.Linear($"proj.{input.InputName}", width, input.Shape.Width);
            }
        }
    }
}
