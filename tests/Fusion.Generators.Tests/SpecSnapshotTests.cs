using Fusion.Compiler.Emit;
using Fusion.Spec;
using Microsoft.CodeAnalysis;

namespace Fusion.Generators.Tests;

/// <summary>
/// Every spec of specs/ as a <c>*.fusion.yaml</c> additional file: the module the generator writes
/// matches its verified snapshot and compiles without warnings; what the code generator cannot
/// emit is reported (FUS200) in the YAML file and generates nothing.
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
    public void Every_spec_generates_a_module()
    {
        Assert.Empty(SpecNames(supported: false));
    }

    [Fact]
    public void What_the_code_generator_cannot_emit_is_reported_in_its_yaml_and_generates_nothing()
    {
        const string yaml = """
            model: M
            modalities:
              words: { kind: tokens, shape: [6], vocab: 20 }
              audio: { shape: [4] }
            fusion:
              drop: { op: modality_dropout, inputs: [words, audio], p: 0.2 }
              words_h: { op: embedding, input: drop.words, dim: 4 }
              words_p: { op: pool, input: words_h, mode: mean }
              joint: { op: concat, inputs: [words_p, drop.audio] }
            heads:
              y: { type: regressor, input: joint }
            losses:
              - { type: mse, head: y }
            """;
        var input = new YamlInput("specs/m.fusion.yaml", yaml);
        var run = GeneratorHarness.Run([], [input]);

        Assert.Empty(run.Result.GeneratedSources);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("FUS200", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(input.Path, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(5, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
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
