using System;
using Fusion.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Fusion.Generators.Emit;

/// <summary>The source-output action: reports a result's diagnostics and adds its source.</summary>
internal static class GeneratedSourceWriter
{
    public static void Write(SourceProductionContext context, GenerationResult result)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            var descriptor = DiagnosticDescriptors.For(diagnostic.Id);
            string message = descriptor.Id == diagnostic.Id ? diagnostic.Message : $"{diagnostic.Id}: {diagnostic.Message}";
            context.ReportDiagnostic(Diagnostic.Create(descriptor, diagnostic.Location?.ToLocation() ?? Location.None, message));
        }

        if (result.Source is null)
        {
            return;
        }

        try
        {
            context.AddSource(result.HintName, SourceText.From(result.Source, System.Text.Encoding.UTF8));
        }
        catch (ArgumentException)
        {
            // Two declarations of one model (attributes and YAML, or two files) give one hint name.
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.GeneratorFailed,
                Location.None,
                $"the model '{result.HintName.Substring(0, result.HintName.Length - ".g.cs".Length)}' is declared more than once; each model needs its own name or namespace"));
        }
    }
}
