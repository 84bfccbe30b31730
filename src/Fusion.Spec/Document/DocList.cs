using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Document;

/// <summary>A sequence of values.</summary>
public sealed class DocList : DocNode
{
    public DocList(IReadOnlyList<DocNode> items, SourceLocation location)
        : base(location)
    {
        Items = items;
    }

    public IReadOnlyList<DocNode> Items { get; }

    public override string Describe() => $"a list of {Items.Count}";
}
