using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit;

/// <summary>
/// The IR without what depends on where it came from: every location becomes
/// <see cref="NoLocation"/>, the source path and hash become empty. This is the value of a
/// generated module's <c>Spec</c> property, so a model declared in YAML and the same model
/// declared with attributes generate the same code below the header.
/// </summary>
public static class SpecStripper
{
    public static SourceLocation NoLocation { get; } = new(string.Empty, 0, 0);

    public static FusionSpec Strip(FusionSpec spec) => spec with
    {
        SourcePath = string.Empty,
        SourceHash = string.Empty,
        Location = NoLocation,
        Modalities = spec.Modalities.Select(m => m with { Location = NoLocation }).ToEquatableArray(),
        Nodes = spec.Nodes.Select(n => n with
        {
            Inputs = n.Inputs.Select(Strip).ToEquatableArray(),
            Location = NoLocation,
        }).ToEquatableArray(),
        Context = spec.Context is null ? null : spec.Context with { Location = NoLocation },
        Heads = spec.Heads.Select(h => h with { Input = Strip(h.Input), Location = NoLocation }).ToEquatableArray(),
        Losses = spec.Losses.Select(l => l with
        {
            Between = l.Between.Select(Strip).ToEquatableArray(),
            Location = NoLocation,
        }).ToEquatableArray(),
    };

    private static ValueReference Strip(ValueReference reference) => reference with { Location = NoLocation };
}
