using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Ir;

/// <summary>
/// CBMF context vectors: one learnable vector of <see cref="Width"/> numbers per modality,
/// mapped to width <see cref="Out"/> by one shared MLP (hidden widths <see cref="Mlp"/>, ReLU
/// between, LayerNorm at the end).
/// </summary>
public sealed record ContextSpec(
    EquatableArray<string> Modalities,
    int Width,
    double Std,
    EquatableArray<int> Mlp,
    int Out,
    SourceLocation Location);
