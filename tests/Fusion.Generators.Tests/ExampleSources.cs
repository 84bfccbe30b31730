namespace Fusion.Generators.Tests;

/// <summary>The examples' model declarations, read from examples/, with repository-relative paths.</summary>
internal static class ExampleSources
{
    public const string AttributesModelPath = "examples/AttributesModel/SentimentModel.cs";
    public const string YamlModelPath = "examples/YamlModel/model.fusion.yaml";

    public static (string Path, string Source) AttributesModel() => (AttributesModelPath, File.ReadAllText(RepositoryPaths.Of(AttributesModelPath)));

    /// <summary>model.fusion.yaml with the FusionNamespace metadata that examples/YamlModel/YamlModel.csproj gives it.</summary>
    public static YamlInput YamlModel() =>
        new(YamlModelPath, File.ReadAllText(RepositoryPaths.Of(YamlModelPath)), new() { ["FusionNamespace"] = "YamlModel.Models" });
}
