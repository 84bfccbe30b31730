using System.Collections.Immutable;

namespace Fusion.Spec.Diagnostics;

/// <summary>Collects diagnostics while a spec is read and checked.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<SpecDiagnostic> items = [];

    public bool HasErrors { get; private set; }

    public void Add(SpecDiagnostic diagnostic)
    {
        items.Add(diagnostic);
        HasErrors |= diagnostic.IsError;
    }

    /// <summary>The diagnostics ordered by position in the file, errors and warnings mixed.</summary>
    public ImmutableArray<SpecDiagnostic> ToImmutableSorted() =>
        items
            .Select((d, i) => (d, i))
            .OrderBy(p => p.d.Location.File, StringComparer.Ordinal)
            .ThenBy(p => p.d.Location.Line)
            .ThenBy(p => p.d.Location.Column)
            .ThenBy(p => p.i)
            .Select(p => p.d)
            .ToImmutableArray();
}
