using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using Fusion.Compiler.Emit;
using Fusion.Runtime;
using Fusion.Spec.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Fusion.Compiler.Tests;

/// <summary>
/// Compiles generated sources with Roslyn in memory against the .NET runtime, Fusion.Runtime and
/// Fusion.Spec, and loads the assembly. One compilation per spec file, shared by the tests.
/// </summary>
internal static class GeneratedCompilation
{
    private static readonly ConcurrentDictionary<string, Lazy<Compiled>> Cache = new();

    private static readonly ImmutableArray<MetadataReference> References = BuildReferences();

    public sealed record Compiled(string Source, ImmutableArray<Diagnostic> Diagnostics, Assembly? Assembly, FusionSpec Spec);

    /// <summary>
    /// The emitted and compiled module of a test model (<see cref="TestModels"/>): a file of specs/
    /// (<c>autofusion.yaml</c>) or a coverage spec (<c>coverage:vectors</c>). It must emit without errors.
    /// </summary>
    public static Compiled Of(string key) =>
        Cache.GetOrAdd(key, k => new Lazy<Compiled>(() =>
        {
            var spec = TestModels.Load(k);
            var result = ModuleEmitter.Emit(spec);
            Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
            return Compile(result.Source!, spec);
        })).Value;

    /// <summary>Compiles <paramref name="source"/> (and <paramref name="userCode"/>, code written against it, when given).</summary>
    public static Compiled Compile(string source, FusionSpec spec, string? userCode = null)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(source, options, path: spec.Model + ".g.cs") };
        if (userCode is not null)
        {
            trees.Add(CSharpSyntaxTree.ParseText(userCode, options, path: "User.cs"));
        }

        var compilation = CSharpCompilation.Create(
            "Generated." + spec.Model + "." + Guid.NewGuid().ToString("N"),
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        var diagnostics = emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        Assembly? assembly = emit.Success ? Assembly.Load(stream.ToArray()) : null;
        return new Compiled(source, diagnostics, assembly, spec);
    }

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(Tensor).Assembly.Location);
        paths.Add(typeof(FusionSpec).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
