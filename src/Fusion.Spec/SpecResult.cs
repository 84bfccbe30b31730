using System.Collections.Immutable;
using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Spec;

/// <summary>
/// What reading a spec gives: the IR when it could be built (null when errors prevent it) and
/// every diagnostic, ordered by position.
/// </summary>
public sealed class SpecResult
{
    public SpecResult(FusionSpec? spec, ImmutableArray<SpecDiagnostic> diagnostics)
    {
        Spec = spec;
        Diagnostics = diagnostics.IsDefault ? ImmutableArray<SpecDiagnostic>.Empty : diagnostics;
    }

    public FusionSpec? Spec { get; }

    public ImmutableArray<SpecDiagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
