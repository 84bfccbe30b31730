using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Ops;

/// <summary>
/// The <c>context</c> section as the ops see it while the graph is inferred. <see cref="Out"/>
/// is null until known: when the spec leaves it out, the first <c>cbmf</c> node sets it to its
/// input width.
/// </summary>
internal sealed class ContextDraft
{
    public ContextDraft(IReadOnlyList<string> modalities, int? @out, SourceLocation location)
    {
        Modalities = modalities;
        Out = @out;
        Location = location;
    }

    public IReadOnlyList<string> Modalities { get; }

    public int? Out { get; set; }

    public SourceLocation Location { get; }
}
