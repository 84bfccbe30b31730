using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Ir;

/// <summary>
/// One operation of the graph. A single-output node has <see cref="Output"/> set and no
/// <see cref="Members"/>; a multi-output node (<c>cbmf</c>, <c>modality_dropout</c>) has
/// <see cref="Output"/> and <see cref="OutputKind"/> null and one member per input.
/// </summary>
public sealed record NodeSpec(
    string Name,
    NodeSection Section,
    string Op,
    EquatableArray<ValueReference> Inputs,
    EquatableArray<NodeAttribute> Attributes,
    Shape? Output,
    ModalityKind? OutputKind,
    EquatableArray<NodeMember> Members,
    string Group,
    SourceLocation Location)
{
    public bool IsMultiOutput => Output is null;

    public NodeMember? FindMember(string name) => Members.FirstOrDefault(m => m.Name == name);
}
