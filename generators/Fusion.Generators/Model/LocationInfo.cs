using Fusion.Spec.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Fusion.Generators.Model;

/// <summary>
/// A place in a source file as plain data (a <see cref="Location"/> holds a syntax tree, which an
/// incremental pipeline must not keep): the file, the character span and the line span.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo From(Location location) =>
        new(location.SourceTree?.FilePath ?? location.GetLineSpan().Path, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo From(SyntaxNode node) => From(node.GetLocation());

    /// <summary>The spec's 1-based line and column of the start.</summary>
    public SourceLocation ToSourceLocation() => new(FilePath, LineSpan.Start.Line + 1, LineSpan.Start.Character + 1);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
