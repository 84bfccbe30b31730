using System;
using System.Threading;
using Fusion.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Fusion.Generators.Parsing;

/// <summary>The transform of the YAML pipeline: an additional file and its options -> <see cref="YamlSpecFile"/>.</summary>
internal static class YamlSpecFileParser
{
    public const string Extension = ".fusion.yaml";

    public static bool IsSpec(AdditionalText text) => text.Path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

    public static YamlSpecFile Parse(AdditionalText file, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
    {
        string text = file.GetText(cancellationToken)?.ToString() ?? string.Empty;
        var fileOptions = options.GetOptions(file);
        options.GlobalOptions.TryGetValue(Emit.SourcePaths.ProjectDirOption, out var projectDir);
        return new YamlSpecFile(file.Path, text, Metadata(fileOptions, "FusionModel"), Metadata(fileOptions, "FusionNamespace"), projectDir);
    }

    /// <summary>An item's metadata, visible through <c>CompilerVisibleItemMetadata</c> (build/Fusion.Generators.props); empty is absent.</summary>
    private static string? Metadata(AnalyzerConfigOptions options, string name) =>
        options.TryGetValue("build_metadata.AdditionalFiles." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
