namespace Fusion.Runtime.Data;

/// <summary>
/// Named columns (<see cref="DataColumn"/>) with one sample count: a model's modalities and
/// targets, in memory. Immutable; <see cref="Select"/> and <see cref="Split"/> copy.
/// </summary>
public sealed class Dataset
{
    private readonly Dictionary<string, DataColumn> byName = new(StringComparer.Ordinal);
    private readonly List<DataColumn> columns = [];

    public Dataset(IEnumerable<DataColumn> columns)
    {
        int? count = null;
        string? first = null;
        foreach (var column in columns)
        {
            if (!byName.TryAdd(column.Name, column)) throw new ArgumentException($"Column '{column.Name}' appears twice.");
            if (count is int n && n != column.Count)
                throw new ArgumentException($"Column '{column.Name}' has {column.Count} samples but column '{first}' has {n}.");
            count ??= column.Count;
            first ??= column.Name;
            this.columns.Add(column);
        }
        Count = count ?? 0;
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>The columns in the order given.</summary>
    public IReadOnlyList<DataColumn> Columns => columns;

    public DataColumn this[string name] =>
        byName.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"The dataset has no column '{name}' (columns: {string.Join(", ", byName.Keys)}).");

    public bool TryGetColumn(string name, out DataColumn column) => byName.TryGetValue(name, out column!);

    public bool Contains(string name) => byName.ContainsKey(name);

    /// <summary>The samples at <paramref name="indices"/>, in that order (indices may repeat).</summary>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        var selected = new List<DataColumn>(columns.Count);
        foreach (var c in columns) selected.Add(c.Select(indices));
        return new Dataset(selected);
    }

    /// <summary>
    /// Splits into parts of the given <paramref name="fractions"/> (non-negative, summing to 1,
    /// e.g. <c>[0.8, 0.1, 0.1]</c> for train, validation and test) after one seeded shuffle:
    /// part k takes positions <c>round(n c_(k-1))</c> up to <c>round(n c_k)</c> of the permutation
    /// drawn from <paramref name="random"/>, with c_k the cumulative sum (the last part ends at n).
    /// The same seed gives the same parts.
    /// </summary>
    public IReadOnlyList<Dataset> Split(IReadOnlyList<double> fractions, RandomSource random)
    {
        if (fractions.Count == 0) throw new ArgumentException("A split needs at least one fraction.", nameof(fractions));
        double sum = 0;
        foreach (double f in fractions)
        {
            if (!(f >= 0 && f <= 1)) throw new ArgumentOutOfRangeException(nameof(fractions), f, "Split fractions must lie in [0, 1].");
            sum += f;
        }
        if (Math.Abs(sum - 1) > 1e-6) throw new ArgumentException($"Split fractions [{string.Join(", ", fractions)}] sum to {sum}, not 1.", nameof(fractions));
        var order = random.Permutation(Count);
        var parts = new Dataset[fractions.Count];
        double cumulative = 0;
        int start = 0;
        for (int k = 0; k < fractions.Count; k++)
        {
            cumulative += fractions[k];
            int end = k == fractions.Count - 1 ? Count : Math.Clamp((int)Math.Round(Count * cumulative, MidpointRounding.AwayFromZero), start, Count);
            parts[k] = Select(order.AsSpan(start, end - start));
            start = end;
        }
        return parts;
    }
}
