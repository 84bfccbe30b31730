using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Document;

/// <summary>
/// A mapping, in the order written. Duplicate keys are kept (the binder reports them), so a
/// front end never has to decide what a duplicate means.
/// </summary>
public sealed class DocMap : DocNode
{
    public DocMap(IReadOnlyList<DocEntry> entries, SourceLocation location)
        : base(location)
    {
        Entries = entries;
    }

    public IReadOnlyList<DocEntry> Entries { get; }

    /// <summary>The first entry with the given key, or null.</summary>
    public DocEntry? Find(string key)
    {
        foreach (var e in Entries)
        {
            if (e.Key.Text == key)
            {
                return e;
            }
        }

        return null;
    }

    public override string Describe() => "a map";
}
