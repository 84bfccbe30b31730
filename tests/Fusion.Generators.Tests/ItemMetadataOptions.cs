using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Fusion.Generators.Tests;

/// <summary>
/// Analyzer options as MSBuild passes them: each additional file's item metadata as
/// <c>build_metadata.AdditionalFiles.&lt;Name&gt;</c>, and the given global <c>build_property.*</c> options.
/// </summary>
internal sealed class ItemMetadataOptions(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> metadataByPath,
    IReadOnlyDictionary<string, string>? globalOptions = null) : AnalyzerConfigOptionsProvider
{
    private static readonly Options Empty = new(ImmutableDictionary<string, string>.Empty);

    public override AnalyzerConfigOptions GlobalOptions { get; } =
        globalOptions is null ? Empty : new Options(globalOptions.ToImmutableDictionary());

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        metadataByPath.TryGetValue(textFile.Path, out var metadata)
            ? new Options(metadata.ToImmutableDictionary(p => "build_metadata.AdditionalFiles." + p.Key, p => p.Value))
            : Empty;

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
