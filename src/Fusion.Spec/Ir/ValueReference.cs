using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Ir;

/// <summary>
/// A resolved reference to a value: a modality, a node's output, one member of a
/// multi-output node (<c>node.member</c>), or (for losses) a head's output.
/// <see cref="Shape"/> and <see cref="Kind"/> are the referenced value's.
/// </summary>
public sealed record ValueReference(
    string Producer,
    string? Member,
    ProducerKind ProducerKind,
    Shape Shape,
    ModalityKind Kind,
    SourceLocation Location)
{
    /// <summary>The reference as written: <c>producer</c> or <c>producer.member</c>.</summary>
    public string Text => Member is null ? Producer : Producer + "." + Member;

    /// <summary>
    /// The name this input gives to per-input state-dict keys and members
    /// (<c>n.proj.&lt;input&gt;</c>): the member when there is one, otherwise the producer.
    /// </summary>
    public string InputName => Member ?? Producer;

    public override string ToString() => Text;
}
