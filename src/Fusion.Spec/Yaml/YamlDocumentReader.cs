using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Fusion.Spec.Yaml;

/// <summary>
/// Reads YAML text into the untyped <see cref="DocNode"/> model with the line and column of
/// every key and value (the parser events' <c>Start</c> marks). Never throws on bad input:
/// a syntax error becomes FUS000 at the parser's location.
/// </summary>
internal sealed class YamlDocumentReader
{
    private readonly string path;
    private readonly DiagnosticBag diagnostics;
    private readonly Dictionary<string, DocNode> anchors = new(StringComparer.Ordinal);
    /// <summary>Deeper nesting than any spec needs; the limit keeps a hostile file from exhausting the stack.</summary>
    private const int MaxDepth = 64;

    private IParser parser = null!;
    private int depth;
    private Mark lastMark = Mark.Empty;

    private YamlDocumentReader(string path, DiagnosticBag diagnostics)
    {
        this.path = path;
        this.diagnostics = diagnostics;
    }

    /// <summary>The root of the single document, or null when the file is empty or not valid YAML.</summary>
    public static DocNode? Read(string text, string path, DiagnosticBag diagnostics) =>
        new YamlDocumentReader(path, diagnostics).ReadStream(text);

    private DocNode? ReadStream(string text)
    {
        try
        {
            parser = new Parser(new StringReader(text));
            parser.MoveNext();
            Expect<StreamStart>();
            if (parser.Current is StreamEnd)
            {
                return null;
            }

            Expect<DocumentStart>();
            var root = parser.Current is DocumentEnd ? null : ReadNode();
            Expect<DocumentEnd>();
            if (parser.Current is DocumentStart second)
            {
                diagnostics.Add(DiagnosticDescriptors.SeveralDocuments(At(second.Start)));
            }

            return root;
        }
        catch (YamlException e)
        {
            diagnostics.Add(DiagnosticDescriptors.YamlError(At(e.Start), Clean(e.Message)));
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some malformed plain scalars; it is still a syntax error in the text.
            diagnostics.Add(DiagnosticDescriptors.YamlError(At(lastMark), $"the parser stopped after this point ({e.Message})"));
            return null;
        }
    }

    private DocNode ReadNode()
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of the file");
        lastMark = current.End;
        if (current is SequenceStart or MappingStart && depth >= MaxDepth)
        {
            throw new YamlException(current.Start, current.End, $"the document nests deeper than {MaxDepth} levels");
        }

        depth++;
        try
        {
            return ReadEvent(current);
        }
        finally
        {
            depth--;
        }
    }

    private DocNode ReadEvent(ParsingEvent current)
    {
        switch (current)
        {
            case Scalar scalar:
            {
                parser.MoveNext();
                var node = new DocScalar(scalar.Value, scalar.Style != ScalarStyle.Plain, At(scalar.Start));
                Remember(scalar.Anchor, node);
                return node;
            }

            case SequenceStart start:
            {
                parser.MoveNext();
                var items = new List<DocNode>();
                while (parser.Current is not SequenceEnd)
                {
                    items.Add(ReadNode());
                }

                parser.MoveNext();
                var node = new DocList(items, At(start.Start));
                Remember(start.Anchor, node);
                return node;
            }

            case MappingStart start:
            {
                parser.MoveNext();
                var entries = new List<DocEntry>();
                while (parser.Current is not MappingEnd)
                {
                    var key = ReadNode();
                    var value = ReadNode();
                    if (key is DocScalar scalarKey)
                    {
                        entries.Add(new DocEntry(scalarKey, value));
                    }
                    else
                    {
                        diagnostics.Add(DiagnosticDescriptors.WrongTypeOf(key.Location, "key", "a plain name", key.Describe()));
                    }
                }

                parser.MoveNext();
                var node = new DocMap(entries, At(start.Start));
                Remember(start.Anchor, node);
                return node;
            }

            case AnchorAlias alias:
            {
                parser.MoveNext();
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"the alias '*{alias.Value.Value}' names no anchor defined before it");
            }

            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private void Remember(AnchorName anchor, DocNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    private void Expect<T>()
        where T : ParsingEvent
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of the file");
        if (current is not T)
        {
            throw new YamlException(current.Start, current.End, $"expected {typeof(T).Name}, found {current.GetType().Name}");
        }

        parser.MoveNext();
    }

    private SourceLocation At(Mark mark) => new(path, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column));

    private static string Clean(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location is ours to print.
        int close = message.LastIndexOf("): ", StringComparison.Ordinal);
        return close >= 0 && message.StartsWith("(", StringComparison.Ordinal) ? message.Substring(close + 3) : message;
    }
}
