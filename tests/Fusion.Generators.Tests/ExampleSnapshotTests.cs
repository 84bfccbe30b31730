namespace Fusion.Generators.Tests;

/// <summary>The example models, as their projects declare them, generate their verified modules, which compile cleanly.</summary>
public sealed class ExampleSnapshotTests
{
    [Fact]
    public void Attributes_example_generates_its_verified_module()
    {
        var run = GeneratorHarness.Run([ExampleSources.AttributesModel()]);

        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify("examples.AttributesModel.SentimentModel", run.Source("AttributesModel.SentimentModel.g.cs"));
        Assert.True(run.CompilationDiagnostics.IsEmpty, string.Join("\n", run.CompilationDiagnostics));
    }

    [Fact]
    public void Yaml_example_generates_its_verified_module_in_the_namespace_its_item_metadata_names()
    {
        var run = GeneratorHarness.Run([], [ExampleSources.YamlModel()]);

        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify("examples.YamlModel.ScoreModel", run.Source("YamlModel.Models.ScoreModel.g.cs"));
        Assert.Contains("namespace YamlModel.Models;", run.Source("YamlModel.Models.ScoreModel.g.cs"));
        Assert.True(run.CompilationDiagnostics.IsEmpty, string.Join("\n", run.CompilationDiagnostics));
    }
}
