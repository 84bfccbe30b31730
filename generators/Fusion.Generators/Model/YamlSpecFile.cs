namespace Fusion.Generators.Model;

/// <summary>
/// A <c>*.fusion.yaml</c> additional file: its path and text, and the <c>FusionModel</c> and
/// <c>FusionNamespace</c> item metadata that override the spec's <c>model</c> and <c>namespace</c>,
/// and the project folder (for the path the generated header names).
/// </summary>
internal sealed record YamlSpecFile(string Path, string Text, string? ModelOverride, string? NamespaceOverride, string? ProjectDir);
