using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>Reads the <c>data</c> section.</summary>
internal static class DataBinder
{
    private static readonly string[] Types = ["synthetic", "npz", "npy", "csv"];

    /// <summary>
    /// The data source, or null after reporting. <paramref name="columnNames"/> are the modalities
    /// and targets a CSV must map; <paramref name="required"/> those it must not leave out.
    /// </summary>
    public static DataSpec? Bind(BindContext context, DocEntry entry, IReadOnlyCollection<string> columnNames, IReadOnlyCollection<string> required)
    {
        var mapNode = ValueReader.Map(context, entry.Value, "data", "a map such as { type: synthetic }");
        if (mapNode is null)
        {
            return null;
        }

        var typeNode = mapNode.Find("type")?.Value;
        string? type = typeNode is null ? "synthetic" : ValueReader.Enum(context, typeNode, "type", "data type", Types);
        string[] keys = type switch
        {
            "synthetic" => ["type", "samples", "latent", "noise", "seed", "split"],
            "npz" => ["type", "path", "split"],
            "npy" => ["type", "path"],
            "csv" => ["type", "path", "columns"],
            _ => ["type", "samples", "latent", "noise", "seed", "split", "path", "columns"],
        };

        var map = new MapReader(context, mapNode, type is null ? "'data'" : $"data '{type}'", keys, entry.Key.Location);
        switch (type)
        {
            case "synthetic":
            {
                var samples = map.Int("samples", 2048);
                var latent = map.Int("latent", 8);
                var noise = map.Number("noise", 0.1, ValueRange.NonNegative);
                var seed = map.Int("seed", 0, ValueRange.NonNegative);
                var split = Split(context, map);
                return samples is null || latent is null || noise is null || seed is null || split is null
                    ? null
                    : new DataSpec.Synthetic(samples.Value, latent.Value, noise.Value, seed.Value, split.Value);
            }

            case "npz":
            {
                var path = map.Text("path", null, required: true);
                var split = Split(context, map);
                return path is null || split is null ? null : new DataSpec.Npz(path, split.Value);
            }

            case "npy":
            {
                var path = map.Text("path", null, required: true);
                return path is null ? null : new DataSpec.Npy(path);
            }

            case "csv":
            {
                var path = map.Text("path", null, required: true);
                var columns = Columns(context, map, columnNames, required);
                return path is null || columns is null ? null : new DataSpec.Csv(path, columns.Value);
            }

            default:
                return null;
        }
    }

    private static EquatableArray<double>? Split(BindContext context, MapReader map)
    {
        var node = map.Get("split");
        if (node is null)
        {
            return DataSpec.DefaultSplit;
        }

        var values = ValueReader.NumberList(context, node, "split", ValueRange.NonNegative);
        if (values is null)
        {
            return null;
        }

        if (values.Count != 3 || Math.Abs(values.Sum() - 1) > 1e-6)
        {
            context.Report(DiagnosticDescriptors.NotInRange(node.Location, "split", "[" + string.Join(", ", values.Select(ValueRangeText.Format)) + "]", "three fractions [train, validation, test] that sum to 1"));
            return null;
        }

        return values.ToEquatableArray();
    }

    private static EquatableArray<CsvColumn>? Columns(BindContext context, MapReader map, IReadOnlyCollection<string> names, IReadOnlyCollection<string> required)
    {
        var mapNode = map.Map("columns", required: true);
        if (mapNode is null)
        {
            return null;
        }

        var columnsMap = new MapReader(context, mapNode, "'columns' (the modalities and targets of this spec)", names, map.LocationOf("columns"));
        var result = new List<CsvColumn>();
        bool ok = true;
        foreach (var entry in mapNode.Entries)
        {
            if (!names.Contains(entry.Key.Text))
            {
                ok = false;
                continue;
            }

            var text = ValueReader.Text(context, entry.Value, entry.Key.Text);
            if (text is null)
            {
                ok = false;
                continue;
            }

            int colon = text.IndexOf(':');
            result.Add(colon < 0 ? new CsvColumn(entry.Key.Text, text, null) : new CsvColumn(entry.Key.Text, text.Substring(0, colon), text.Substring(colon + 1)));
        }

        foreach (var name in required)
        {
            if (!columnsMap.Has(name))
            {
                columnsMap.Require(name);
                ok = false;
            }
        }

        return ok ? result.ToEquatableArray() : null;
    }
}
