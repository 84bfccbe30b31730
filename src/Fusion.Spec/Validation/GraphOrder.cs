using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Validation;

/// <summary>
/// Orders nodes topologically (ties kept in declaration order) and reports every cycle (FUS004)
/// with its path. Nodes on or behind a cycle are marked broken.
/// </summary>
internal static class GraphOrder
{
    public static List<NodeDraft> Sort(BindContext context, List<NodeDraft> drafts)
    {
        var byName = drafts.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var producers = drafts.ToDictionary(
            d => d,
            d => d.Inputs.Select(i => byName.TryGetValue(i.Producer, out var p) ? p : null).OfType<NodeDraft>().Distinct().ToList());
        var consumers = drafts.ToDictionary(d => d, _ => new List<NodeDraft>());
        foreach (var d in drafts)
        {
            foreach (var p in producers[d])
            {
                consumers[p].Add(d);
            }
        }

        var pending = drafts.ToDictionary(d => d, d => producers[d].Count);
        var ready = new SortedSet<NodeDraft>(Comparer<NodeDraft>.Create((a, b) => a.Order.CompareTo(b.Order)));
        foreach (var d in drafts.Where(d => pending[d] == 0))
        {
            ready.Add(d);
        }

        var order = new List<NodeDraft>();
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            order.Add(next);
            foreach (var c in consumers[next])
            {
                if (--pending[c] == 0)
                {
                    ready.Add(c);
                }
            }
        }

        var stuck = drafts.Where(d => pending[d] > 0).ToList();
        ReportCycles(context, stuck, producers);
        foreach (var d in stuck)
        {
            d.Broken = true;
            order.Add(d);
        }

        return order;
    }

    private static void ReportCycles(BindContext context, List<NodeDraft> stuck, Dictionary<NodeDraft, List<NodeDraft>> producers)
    {
        var inStuck = new HashSet<NodeDraft>(stuck);
        var reported = new HashSet<NodeDraft>();
        foreach (var start in stuck)
        {
            if (reported.Contains(start))
            {
                continue;
            }

            // Walk producer edges inside the stuck set; every stuck node has a stuck producer, so the walk closes a cycle.
            var path = new List<NodeDraft>();
            var index = new Dictionary<NodeDraft, int>();
            var current = start;
            while (!index.ContainsKey(current))
            {
                index[current] = path.Count;
                path.Add(current);
                current = producers[current].Where(inStuck.Contains).OrderBy(p => p.Order).First();
            }

            var cycle = path.Skip(index[current]).ToList();
            if (cycle.Any(reported.Contains))
            {
                continue;
            }

            reported.UnionWith(cycle);

            // Report in data-flow order (producer -> consumer), starting at the earliest declared node.
            cycle.Reverse();
            int first = cycle.IndexOf(cycle.OrderBy(c => c.Order).First());
            var flow = cycle.Skip(first).Concat(cycle.Take(first)).ToList();
            var names = flow.Select(c => c.Name).Append(flow[0].Name);
            context.Report(DiagnosticDescriptors.CycleThrough(flow[0].Location, names));
        }
    }
}
