using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Ir;

/// <summary>A model input. <see cref="Vocab"/> is set for <see cref="ModalityKind.Tokens"/> only.</summary>
public sealed record ModalitySpec(
    string Name,
    Shape Shape,
    ModalityKind Kind,
    int? Vocab,
    bool Optional,
    SourceLocation Location);
