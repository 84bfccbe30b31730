using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Ir;

/// <summary>
/// One loss term. Exactly one of <see cref="Head"/>, <see cref="Between"/> (two references)
/// or <see cref="Node"/> is set, as the loss type requires. <see cref="Options"/> holds every
/// option of the type, defaults filled in.
/// </summary>
public sealed record LossSpec(
    LossType Type,
    string Name,
    double Weight,
    string? Head,
    EquatableArray<ValueReference> Between,
    string? Node,
    EquatableArray<NodeAttribute> Options,
    SourceLocation Location);
