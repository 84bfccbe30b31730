using System.Collections.Immutable;
using Fusion.Annotations;
using Fusion.Runtime;
using Fusion.Spec.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Fusion.Generators.Tests;

/// <summary>
/// Runs <see cref="FusionGenerator"/> with <see cref="CSharpGeneratorDriver"/> over C# sources and
/// <c>*.fusion.yaml</c> texts, against the .NET runtime, Fusion.Runtime, Fusion.Spec and
/// Fusion.Annotations, with step tracking on; and compiles what it generated.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References = BuildReferences();

    public static CSharpCompilation Compilation(IEnumerable<(string Path, string Source)> sources) =>
        CSharpCompilation.Create(
            "Generated.Tests",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Source, ParseOptions, path: s.Path)),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));

    public static GeneratorDriver Driver(IEnumerable<YamlInput> yaml, IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        var files = yaml.ToList();
        var metadata = files.ToDictionary(f => f.Path, f => (IReadOnlyDictionary<string, string>)(f.Metadata ?? new Dictionary<string, string>()));
        return CSharpGeneratorDriver.Create(
            [new FusionGenerator().AsSourceGenerator()],
            files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)),
            ParseOptions,
            new ItemMetadataOptions(metadata, globalOptions),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    public static GeneratorRun Run(
        IEnumerable<(string Path, string Source)> csharp,
        IEnumerable<YamlInput>? yaml = null,
        IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        var compilation = Compilation(csharp);
        var driver = Driver(yaml ?? [], globalOptions).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var compiled = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new GeneratorRun(driver.GetRunResult().Results.Single(), generatorDiagnostics, compiled);
    }

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(Tensor).Assembly.Location);
        paths.Add(typeof(FusionSpec).Assembly.Location);
        paths.Add(typeof(FusionModelAttribute).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
