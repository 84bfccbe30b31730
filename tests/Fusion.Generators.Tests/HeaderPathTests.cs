using Microsoft.CodeAnalysis;

namespace Fusion.Generators.Tests;

/// <summary>
/// The generated header names the declaration's path relative to the project folder (MSBuild's
/// ProjectDir), so a build gives the same bytes in any checkout; diagnostics keep the full path.
/// </summary>
public sealed class HeaderPathTests
{
    private const string ProjectDir = "/checkout/app/";

    [Fact]
    public void Header_names_paths_relative_to_the_project_folder()
    {
        var run = GeneratorHarness.Run(
            [(ProjectDir + "Models/SentimentModel.cs", ExampleSources.AttributesModel().Source)],
            [new YamlInput(ProjectDir + "specs/model.fusion.yaml", File.ReadAllText(RepositoryPaths.Of(ExampleSources.YamlModelPath)))],
            new Dictionary<string, string> { ["build_property.projectdir"] = ProjectDir });

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("// Fusion.Dsl: generated from Models/SentimentModel.cs (sha256 ", run.Source("AttributesModel.SentimentModel.g.cs"));
        Assert.Contains("// Fusion.Dsl: generated from specs/model.fusion.yaml (sha256 ", run.Source("Fusion.Models.ScoreModel.g.cs"));
    }

    [Fact]
    public void Diagnostics_keep_the_full_path()
    {
        string yaml = File.ReadAllText(RepositoryPaths.Of(ExampleSources.YamlModelPath)).Replace("out: 32", "out: 0");
        var run = GeneratorHarness.Run(
            [],
            [new YamlInput(ProjectDir + "model.fusion.yaml", yaml)],
            new Dictionary<string, string> { ["build_property.projectdir"] = ProjectDir });

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("FUS009", diagnostic.Id);
        Assert.Equal(ProjectDir + "model.fusion.yaml", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }
}
