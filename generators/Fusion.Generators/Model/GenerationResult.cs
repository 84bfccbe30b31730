using Fusion.Spec.Ir;

namespace Fusion.Generators.Model;

/// <summary>One model's output: the hint name and source (null when errors stop it) and every diagnostic.</summary>
internal sealed record GenerationResult(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
