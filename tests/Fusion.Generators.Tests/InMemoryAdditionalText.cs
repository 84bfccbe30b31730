using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Fusion.Generators.Tests;

/// <summary>An additional file (a <c>*.fusion.yaml</c>) held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText source = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => source;
}
