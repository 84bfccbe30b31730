using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Fusion.Generators.Tests;

/// <summary>
/// The pipelines cache: after an edit to an unrelated syntax tree every tracked step of both
/// pipelines reports Cached or Unchanged; an edit to the model's attributes is seen (Modified).
/// </summary>
public sealed class CachingTests
{
    private const string OtherPath = "Other.cs";

    [Fact]
    public void Unrelated_edit_leaves_every_step_cached()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(t => t.FilePath == OtherPath),
            CSharpSyntaxTree.ParseText("namespace Elsewhere; public static class Other { public static int Value => 2; }", GeneratorHarness.ParseOptions, OtherPath));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in new[] { TrackingNames.ModelDeclaration, TrackingNames.ModelGeneration, TrackingNames.YamlFile, TrackingNames.YamlGeneration })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{step}: {o.Reason}"));
        }
    }

    [Fact]
    public void Edit_to_an_attribute_argument_regenerates_the_model()
    {
        var (driver, compilation) = FirstRun();
        var model = compilation.SyntaxTrees.Single(t => t.FilePath == ExampleSources.AttributesModelPath);
        var text = model.GetText().ToString();
        Assert.Contains("Out = 32)", text);
        var edited = compilation.ReplaceSyntaxTree(model, CSharpSyntaxTree.ParseText(text.Replace("Out = 32)", "Out = 24)"), GeneratorHarness.ParseOptions, model.FilePath));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[TrackingNames.ModelDeclaration].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.TrackedSteps[TrackingNames.ModelGeneration].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("new global::Fusion.Runtime.Operators.InputWidth(\"vision_h\", 16)], 24, generator)", result.GeneratedSources.Single(s => s.HintName == "AttributesModel.SentimentModel.g.cs").SourceText.ToString());
        Assert.All(result.TrackedSteps[TrackingNames.YamlGeneration].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compilation(
        [
            ExampleSources.AttributesModel(),
            (OtherPath, "namespace Elsewhere; public static class Other { public static int Value => 1; }"),
        ]);
        var driver = GeneratorHarness.Driver([ExampleSources.YamlModel()]).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Equal(2, first.GeneratedSources.Length);
        return (driver, compilation);
    }
}
