namespace Fusion.Generators.Tests;

/// <summary>A <c>*.fusion.yaml</c> additional file for the generator, with its item metadata (FusionModel, FusionNamespace).</summary>
internal sealed record YamlInput(string Path, string Text, Dictionary<string, string>? Metadata = null);
