using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;

namespace Fusion.Runtime.Data;

/// <summary>
/// A dataset in a CSV file with a header row. A column mapping names, for each modality and
/// target (and optionally <c>&lt;modality&gt;_lengths</c>), either one column (<c>label</c>) or a
/// range <c>prefix0:prefix299</c>, meaning the columns <c>prefix0</c>, <c>prefix1</c>, ...,
/// <c>prefix299</c> in that order. A modality's columns are its per-sample values row-major, so
/// a fixed shape needs exactly as many columns as it has values; an open step axis takes any
/// whole number of steps. Every target and non-optional modality must be mapped. Values are
/// parsed with the invariant culture; class labels, token ids and lengths must be integers.
/// The arrays are then bound by <see cref="DataSchema.Bind"/> (the same checks as .npz data).
/// </summary>
public static partial class CsvData
{
    public static Dataset Read(string path, DataSchema schema, IReadOnlyDictionary<string, string> columns)
    {
        var plans = Plan(path, schema, columns);
        List<string[]> rows;
        string[] header;
        if (!File.Exists(path)) throw new DataException(path, "the CSV file does not exist.");
        try
        {
            (header, rows) = ReadRows(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException(path, $"cannot read the file: {e.Message}", e);
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++) index.TryAdd(header[i], i);

        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            var positions = new int[plan.Columns.Length];
            for (int j = 0; j < positions.Length; j++)
                if (!index.TryGetValue(plan.Columns[j], out positions[j]))
                    throw new DataException(path, $"column '{plan.Columns[j]}' (mapped to {plan.What}) is not in the header.");
            int[] shape = [rows.Count, .. plan.SampleShape];
            if (plan.Integer)
            {
                var values = new long[rows.Count * positions.Length];
                for (int r = 0; r < rows.Count; r++)
                    for (int j = 0; j < positions.Length; j++)
                        values[r * positions.Length + j] = ParseLong(rows[r][positions[j]], path, r, plan.Columns[j], plan.What);
                arrays[plan.Key] = new NpyArray(shape, values);
            }
            else
            {
                var values = new float[rows.Count * positions.Length];
                for (int r = 0; r < rows.Count; r++)
                    for (int j = 0; j < positions.Length; j++)
                        values[r * positions.Length + j] = ParseFloat(rows[r][positions[j]], path, r, plan.Columns[j], plan.What);
                arrays[plan.Key] = new NpyArray(shape, values);
            }
        }
        return schema.Bind(arrays, path);
    }

    private sealed record ColumnPlan(string Key, string What, string[] Columns, int[] SampleShape, bool Integer);

    private static List<ColumnPlan> Plan(string path, DataSchema schema, IReadOnlyDictionary<string, string> columns)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var plans = new List<ColumnPlan>();
        foreach (var m in schema.Modalities)
        {
            known.Add(m.Name);
            if (!columns.TryGetValue(m.Name, out var spec))
            {
                if (m.Optional) continue;
                throw new DataException(path, $"modality '{m.Name}' has no column mapping (map it to a column or a range such as {m.Name}0:{m.Name}{Math.Max(ShapeText.Numel(m.Shape.Select(d => Math.Abs(d)).ToArray()) - 1, 0)}).");
            }
            string what = $"modality '{m.Name}'";
            var names = Expand(spec, path, what);
            plans.Add(new(m.Name, what, names, ModalityShape(m, names.Length, spec, path), m.Kind == ModalityKind.Tokens));
            if (m.HasLengths)
            {
                string lengthsKey = DataSchema.LengthsName(m.Name);
                known.Add(lengthsKey);
                if (columns.TryGetValue(lengthsKey, out var lengthsSpec))
                {
                    string lw = $"the lengths of modality '{m.Name}'";
                    var lengthColumns = Expand(lengthsSpec, path, lw);
                    if (lengthColumns.Length != 1) throw new DataException(path, $"{lw} must be one column; '{lengthsSpec}' names {lengthColumns.Length}.");
                    plans.Add(new(lengthsKey, lw, lengthColumns, [], true));
                }
            }
        }
        foreach (var t in schema.Targets)
        {
            known.Add(t.Name);
            if (!columns.TryGetValue(t.Name, out var spec))
                throw new DataException(path, $"target '{t.Name}' has no column mapping.");
            string what = $"target '{t.Name}'";
            var names = Expand(spec, path, what);
            int expected = t.Kind == TargetKind.Classification ? 1 : t.Width;
            if (names.Length != expected)
                throw new DataException(path, $"{what} is mapped to {names.Length} column(s) ('{spec}') but the spec declares {ShapeText.Format(t.SampleShape)} per sample, {expected} value(s).");
            plans.Add(new(t.Name, what, names, t.SampleShape, t.Kind == TargetKind.Classification));
        }
        foreach (var key in columns.Keys)
            if (!known.Contains(key))
                throw new DataException(path, $"the column mapping names '{key}', which is not a declared modality or target (declared: {string.Join(", ", known)}).");
        return plans;
    }

    private static int[] ModalityShape(ModalityDescriptor m, int count, string spec, string path)
    {
        var shape = (int[])m.Shape.Clone();
        if (m.IsOpenLength)
        {
            int width = ShapeText.Numel(shape.AsSpan(1));
            if (count % width != 0)
                throw new DataException(path, $"modality '{m.Name}' is mapped to {count} columns ('{spec}'), not a whole number of steps of {ShapeText.Format(shape.AsSpan(1))} values each (declared {ShapeText.Format(m.Shape)}).");
            shape[0] = count / width;
            return shape;
        }
        int numel = ShapeText.Numel(shape);
        if (count != numel)
            throw new DataException(path, $"modality '{m.Name}' is mapped to {count} columns ('{spec}') but the spec declares {ShapeText.Format(m.Shape)} per sample, {numel} values.");
        return shape;
    }

    /// <summary>A column name, or a range <c>prefixA:prefixB</c> (same prefix, A &lt;= B) expanded to the columns it names.</summary>
    internal static string[] Expand(string spec, string path, string what)
    {
        if (!spec.Contains(':')) return [spec];
        var match = RangePattern().Match(spec);
        if (!match.Success)
            throw new DataException(path, $"the columns of {what} '{spec}' are not a range like 'prefix0:prefix299'.");
        string prefix = match.Groups[1].Value, endPrefix = match.Groups[3].Value;
        if (prefix != endPrefix)
            throw new DataException(path, $"the range '{spec}' of {what} has two prefixes, '{prefix}' and '{endPrefix}'.");
        if (!int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int start)
            || !int.TryParse(match.Groups[4].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int end) || end < start)
            throw new DataException(path, $"the range '{spec}' of {what} does not count upwards.");
        var names = new string[end - start + 1];
        for (int i = 0; i < names.Length; i++) names[i] = prefix + (start + i).ToString(CultureInfo.InvariantCulture);
        return names;
    }

    [GeneratedRegex(@"^(.*?)(\d+):(.*?)(\d+)$")]
    private static partial Regex RangePattern();

    private static (string[] Header, List<string[]> Rows) ReadRows(string path)
    {
        var options = new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true };
        using var csv = CsvReader.FromFile(path, options);
        try
        {
            var header = csv.Headers.Select(h => h.Trim()).ToArray();
            if (header.Length == 0) throw new DataException(path, "the CSV file is empty (a header row is required).");
            var rows = new List<string[]>();
            while (csv.Read())
            {
                if (csv.FieldCount != header.Length)
                    throw new DataException(path, $"line {csv.LineNumber} has {csv.FieldCount} fields but the header has {header.Length}.");
                var record = new string[header.Length];
                for (int i = 0; i < record.Length; i++) record[i] = csv.GetString(i);
                rows.Add(record);
            }
            return (header, rows);
        }
        catch (CsvFormatException e)
        {
            throw new DataException(path, $"malformed CSV: {e.Message}", e);
        }
    }

    private static float ParseFloat(string text, string path, int row, string column, string what)
    {
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v)) return v;
        throw new DataException(path, $"data row {row + 1}, column '{column}' ({what}): '{text}' is not a number.");
    }

    private static long ParseLong(string text, string path, int row, string column, string what)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)) return v;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) < 1e15) return (long)d;
        throw new DataException(path, $"data row {row + 1}, column '{column}' ({what}): '{text}' is not an integer.");
    }
}
