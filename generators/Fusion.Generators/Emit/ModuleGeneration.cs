using System;
using System.Collections.Generic;
using System.Linq;
using Fusion.Compiler.Emit;
using Fusion.Generators.Model;
using Fusion.Spec;
using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Generators.Emit;

/// <summary>
/// The last step of both pipelines: a bound spec -> the emitted module and every diagnostic, each
/// placed in the user's source by <paramref name="locate"/>.
/// </summary>
internal static class ModuleGeneration
{
    /// <param name="displayPath">The source path the generated header names (<see cref="SourcePaths.Display"/>).</param>
    public static GenerationResult Run(
        string hintName,
        string displayPath,
        IEnumerable<SpecDiagnostic> earlier,
        SpecResult bound,
        Func<SourceLocation, LocationInfo?> locate)
    {
        var diagnostics = earlier.Concat(bound.Diagnostics).Select(d => Convert(d, locate)).ToList();
        string? source = null;
        if (bound.Spec is { } spec && !bound.HasErrors)
        {
            var emitted = ModuleEmitter.Emit(spec with { SourcePath = displayPath });
            diagnostics.AddRange(emitted.Diagnostics.Select(d => Convert(d, locate)));
            source = emitted.HasErrors ? null : emitted.Source;
        }

        return new GenerationResult(hintName, source, diagnostics.ToEquatableArray());
    }

    /// <summary><c>Fusion.Models.Tfn.g.cs</c>.</summary>
    public static string HintName(string? ns, string model) => (ns is null ? model : ns + "." + model) + ".g.cs";

    private static DiagnosticInfo Convert(SpecDiagnostic diagnostic, Func<SourceLocation, LocationInfo?> locate) =>
        new(diagnostic.Id, diagnostic.Message, locate(diagnostic.Location));
}
