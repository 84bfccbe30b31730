using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Ir;

/// <summary>
/// A model output: an MLP (<see cref="Hidden"/> widths, ReLU, dropout) ending in a Linear of
/// width <see cref="Size"/> (classes, outputs, labels or dim). <see cref="Target"/> is null for
/// embedding heads; <see cref="TargetShape"/> is per sample (<c>[]</c> for a class index).
/// </summary>
public sealed record HeadSpec(
    string Name,
    HeadType Type,
    ValueReference Input,
    int Size,
    EquatableArray<int> Hidden,
    double Dropout,
    string? Target,
    Shape OutputShape,
    Shape? TargetShape,
    SourceLocation Location);
