using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>
/// Reads one map of the spec: reports unknown keys (FUS001, with "did you mean") and duplicate
/// keys (FUS005) up front, then hands out typed values. A missing required key is FUS008 at the
/// map's owner (the key that names it). Getters return null when a value is absent or invalid
/// (invalid values are reported).
/// </summary>
internal sealed class MapReader
{
    private readonly BindContext context;
    private readonly DocMap map;
    private readonly SourceLocation owner;

    public MapReader(BindContext context, DocMap map, string where, IReadOnlyCollection<string> knownKeys, SourceLocation? owner = null)
    {
        this.context = context;
        this.map = map;
        this.owner = owner ?? map.Location;
        Where = where;
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            var key = entry.Key.Text;
            if (seen.TryGetValue(key, out var first))
            {
                context.Report(DiagnosticDescriptors.DuplicateKey(entry.Key.Location, key, first));
                continue;
            }

            seen.Add(key, entry.Key.Location);
            if (!knownKeys.Contains(key))
            {
                context.Report(DiagnosticDescriptors.UnknownKeyIn(entry.Key.Location, key, where, Suggestions.Closest(key, knownKeys), knownKeys));
            }
        }
    }

    /// <summary>"encoder 'text_h' (op mlp)", for messages.</summary>
    public string Where { get; }

    public SourceLocation Owner => owner;

    public DocMap Source => map;

    public DocNode? Get(string key) => map.Find(key)?.Value;

    public bool Has(string key) => map.Find(key) is not null;

    public SourceLocation LocationOf(string key) => Get(key)?.Location ?? owner;

    /// <summary>The value of a required key, or null after reporting FUS008.</summary>
    public DocNode? Require(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            context.Report(DiagnosticDescriptors.Missing(owner, key, Where));
        }

        return node;
    }

    public int? Int(string key, int? @default, ValueRange range = ValueRange.Positive, bool required = false)
    {
        var node = required ? Require(key) : Get(key);
        if (node is null)
        {
            return @default;
        }

        var value = ValueReader.Int(context, node, key, range);
        if (value is > int.MaxValue or < int.MinValue)
        {
            context.Report(DiagnosticDescriptors.NotInRange(node.Location, key, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "at most 2147483647"));
            return null;
        }

        return (int?)value;
    }

    public double? Number(string key, double? @default, ValueRange range = ValueRange.Positive, bool required = false)
    {
        var node = required ? Require(key) : Get(key);
        return node is null ? @default : ValueReader.Number(context, node, key, range);
    }

    public bool? Bool(string key, bool @default)
    {
        var node = Get(key);
        return node is null ? @default : ValueReader.Bool(context, node, key);
    }

    public string? Text(string key, string? @default, bool required = false)
    {
        var node = required ? Require(key) : Get(key);
        return node is null ? @default : ValueReader.Text(context, node, key);
    }

    public string? Enum(string key, string? @default, string what, IReadOnlyCollection<string> values, bool required = false)
    {
        var node = required ? Require(key) : Get(key);
        return node is null ? @default : ValueReader.Enum(context, node, key, what, values);
    }

    public DocMap? Map(string key, bool required = false)
    {
        var node = required ? Require(key) : Get(key);
        return node is null ? null : ValueReader.Map(context, node, key);
    }

    public DocList? List(string key, bool required = false)
    {
        var node = required ? Require(key) : Get(key);
        return node is null ? null : ValueReader.List(context, node, key);
    }
}
