using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Fusion.Generators.Tests;

/// <summary>One generator run: its result, its diagnostics, and the diagnostics (warnings and errors) of the compilation with the generated sources.</summary>
internal sealed record GeneratorRun(GeneratorRunResult Result, ImmutableArray<Diagnostic> GeneratorDiagnostics, ImmutableArray<Diagnostic> CompilationDiagnostics)
{
    public string Source(string hintName) =>
        Result.GeneratedSources.SingleOrDefault(s => s.HintName == hintName).SourceText?.ToString()
            ?? throw new Xunit.Sdk.XunitException($"no generated source '{hintName}'; generated: [{string.Join(", ", Result.GeneratedSources.Select(s => s.HintName))}]; diagnostics: {string.Join("; ", GeneratorDiagnostics)}");

    /// <summary>The generated source without the header line that names the source file and hash.</summary>
    public string SourceBelowHeader(string hintName) =>
        string.Join("\n", Source(hintName).Replace("\r\n", "\n").Split('\n').Where(l => !l.StartsWith("// Fusion.Dsl: generated from ", StringComparison.Ordinal)));
}
