using System.Collections.Generic;
using Fusion.Generators.Model;
using Fusion.Spec.Diagnostics;

namespace Fusion.Generators.Documents;

/// <summary>
/// The spec locations given to an attribute document's nodes and the source spans they stand
/// for, so a spec diagnostic (file, line, column) is reported at the attribute argument it came from.
/// </summary>
internal sealed class LocationTable
{
    private readonly Dictionary<SourceLocation, LocationInfo> spans = new();
    private readonly LocationInfo fallback;

    public LocationTable(LocationInfo fallback)
    {
        this.fallback = fallback;
    }

    public SourceLocation Add(LocationInfo location)
    {
        var at = location.ToSourceLocation();
        if (!spans.ContainsKey(at))
        {
            spans.Add(at, location);
        }

        return at;
    }

    /// <summary>The span of a location this table gave out; any other (the binder's "start of the file") is the model class.</summary>
    public LocationInfo Find(SourceLocation location) => spans.TryGetValue(location, out var span) ? span : fallback;
}
