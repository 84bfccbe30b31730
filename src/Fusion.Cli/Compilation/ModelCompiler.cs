using System.Collections.Immutable;
using Fusion.Runtime;
using Fusion.Spec.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Fusion.Cli.Compilation;

/// <summary>
/// The one place where a spec becomes a loaded model type (used by <c>compile</c>, <c>train</c>,
/// <c>eval</c> and <c>predict</c>): the generated source compiled by Roslyn in-process against the
/// trusted platform assemblies, Fusion.Runtime and Fusion.Spec, into an assembly image.
/// </summary>
internal static class ModelCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(BuildReferences);

    /// <summary>
    /// Compiles <paramref name="generated"/> into a DLL image. A compile error (a bug in the emitter
    /// for a checked spec) is printed located, <c>Model.g.cs:line:col: error CSnnnn: message</c>,
    /// and the exit code is returned; otherwise null with <paramref name="image"/> set.
    /// </summary>
    public static int? TryCompile(GeneratedSource generated, TextWriter error, out byte[]? image)
    {
        image = null;
        var spec = generated.Spec;
        var tree = CSharpSyntaxTree.ParseText(generated.Source, new CSharpParseOptions(LanguageVersion.Latest), path: spec.Model + ".g.cs");
        var compilation = CSharpCompilation.Create(
            AssemblyName(spec),
            [tree],
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Release,
                deterministic: true));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (!result.Success)
        {
            foreach (var diagnostic in errors)
            {
                var span = diagnostic.Location.GetLineSpan();
                var at = span.IsValid ? $"{span.Path}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}" : spec.Model + ".g.cs";
                error.WriteLine($"{at}: error {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            error.WriteLine($"fusion: the generated code of '{spec.SourcePath}' does not compile ({errors.Length} errors); this is a bug in the code generator");
            return ExitCodes.SpecErrors;
        }

        image = stream.ToArray();
        return null;
    }

    /// <summary>The assembly name of a compiled model: the model's name (the DLL is <c>&lt;Model&gt;.dll</c>).</summary>
    public static string AssemblyName(FusionSpec spec) => spec.Model;

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .ToList();
        paths.Add(typeof(Tensor).Assembly.Location);
        paths.Add(typeof(FusionSpec).Assembly.Location);
        return paths
            .Distinct(StringComparer.Ordinal)
            .Where(File.Exists)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
