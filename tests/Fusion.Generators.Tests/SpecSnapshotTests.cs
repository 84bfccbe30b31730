using Fusion.Compiler.Emit;
using Fusion.Spec;
using Microsoft.CodeAnalysis;

namespace Fusion.Generators.Tests;

/// <summary>
/// Every spec of specs/ as a <c>*.fusion.yaml</c> additional file: the module the generator writes
/// matches its verified snapshot and compiles without warnings; a spec the code generator cannot
/// emit yet is reported (FUS200) in the YAML file and generates nothing.
/// </summary>
public sealed class SpecSnapshotTests
{
    public static TheoryData<string> SupportedSpecs()
    {
        var data = new TheoryData<string>();
        foreach (var name in SpecNames(supported: true))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SupportedSpecs))]
    public void Spec_generates_its_verified_module_which_compiles_cleanly(string name)
    {
        var run = GeneratorHarness.Run([], [SpecInput(name)]);

        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var generated = Assert.Single(run.Result.GeneratedSources);
        Snapshot.Verify("specs." + name, generated.SourceText.ToString());
        Assert.True(run.CompilationDiagnostics.IsEmpty, string.Join("\n", run.CompilationDiagnostics));
    }

    [Fact]
    public void Spec_the_code_generator_cannot_emit_is_reported_in_its_yaml_and_generates_nothing()
    {
        foreach (var name in SpecNames(supported: false))
        {
            var input = SpecInput(name);
            var run = GeneratorHarness.Run([], [input]);

            Assert.Empty(run.Result.GeneratedSources);
            var unsupported = run.GeneratorDiagnostics.Where(d => d.Id == "FUS200").ToList();
            Assert.True(unsupported.Count > 0, $"{name}: {string.Join("; ", run.GeneratorDiagnostics)}");
            Assert.All(unsupported, d =>
            {
                Assert.Equal(DiagnosticSeverity.Error, d.Severity);
                Assert.Equal(input.Path, d.Location.GetLineSpan().Path);
                Assert.True(d.Location.GetLineSpan().StartLinePosition.Line > 0, $"{name}: {d}");
            });
        }
    }

    [Fact]
    public void Specs_folder_has_specs_the_generator_emits()
    {
        Assert.NotEmpty(SpecNames(supported: true));
    }

    private static YamlInput SpecInput(string name) =>
        new($"specs/{name}.fusion.yaml", File.ReadAllText(Path.Combine(RepositoryPaths.Specs, name + ".yaml")));

    /// <summary>The specs that check cleanly, split by whether the code generator can emit them today.</summary>
    private static IEnumerable<string> SpecNames(bool supported) =>
        Directory.GetFiles(RepositoryPaths.Specs, "*.yaml")
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (Name: Path.GetFileNameWithoutExtension(p), Result: SpecReader.ReadFile(p)))
            .Where(s => s.Result.Spec is not null && ModuleEmitter.Emit(s.Result.Spec).HasErrors != supported)
            .Select(s => s.Name);
}
