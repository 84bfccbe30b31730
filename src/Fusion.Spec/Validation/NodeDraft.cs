using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>A node as read, before its inputs are resolved and its shape inferred.</summary>
internal sealed class NodeDraft
{
    public NodeDraft(string name, NodeSection section, int order, SourceLocation location)
    {
        Name = name;
        Section = section;
        Order = order;
        Location = location;
        Attributes = new AttributeSet(location);
    }

    public string Name { get; }

    public NodeSection Section { get; }

    /// <summary>Declaration order across both sections (ties in the topological order keep it).</summary>
    public int Order { get; }

    public SourceLocation Location { get; }

    public OpDefinition? Op { get; set; }

    public List<ReferenceDraft> Inputs { get; } = [];

    public AttributeSet Attributes { get; set; }

    public string Group { get; set; } = "";

    /// <summary>True when the node cannot be inferred (its own errors, or a broken producer).</summary>
    public bool Broken { get; set; }

    public OpOutput? Output { get; set; }

    public NodeSpec? Spec { get; set; }

    /// <summary>The names of this node's members, known from its inputs before inference (multi-output ops only).</summary>
    public IEnumerable<string> MemberNames => Inputs.Select(i => i.InputName);
}
