namespace Fusion.Runtime.Data;

/// <summary>
/// One batch from a <see cref="DataLoader"/>: per column a tensor <c>[B, ...sample shape]</c>
/// (float32 columns as <see cref="Tensor"/>, int64 columns as <see cref="LongTensor"/>) and, for
/// columns with lengths, the lengths as a <see cref="LongTensor"/> <c>[B]</c>.
/// The loader reuses a batch's tensors for later batches of the same size: read or copy what you
/// need before asking for the next batch, and do not dispose them.
/// </summary>
public sealed class DataBatch
{
    private readonly Dictionary<string, Tensor> floats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LongTensor> longs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LongTensor> lengths = new(StringComparer.Ordinal);

    internal DataBatch(Dataset data, int size)
    {
        Size = size;
        Indices = new int[size];
        foreach (var column in data.Columns)
        {
            var shape = new int[column.SampleShape.Length + 1];
            shape[0] = size;
            column.SampleShape.CopyTo(shape, 1);
            if (column.Type == DataType.Float32) floats.Add(column.Name, Tensor.Empty(shape).DetachFromScope());
            else longs.Add(column.Name, LongTensor.Zeros(shape));
            if (column.Lengths is not null) lengths.Add(column.Name, LongTensor.Zeros(size));
        }
    }

    /// <summary>Number of samples (B).</summary>
    public int Size { get; }

    /// <summary>The dataset positions of this batch's samples, in batch order.</summary>
    public int[] Indices { get; }

    /// <summary>The float32 column <paramref name="name"/> as <c>[B, ...]</c>.</summary>
    public Tensor Float(string name) =>
        floats.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException(Missing(name, "float32", floats.Keys));

    /// <summary>The int64 column <paramref name="name"/> (class labels, token ids) as <c>[B, ...]</c>.</summary>
    public LongTensor Long(string name) =>
        longs.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException(Missing(name, "int64", longs.Keys));

    /// <summary>The lengths of column <paramref name="name"/> as <c>[B]</c>, or null when it has none.</summary>
    public LongTensor? Lengths(string name) => lengths.GetValueOrDefault(name);

    private static string Missing(string name, string type, IEnumerable<string> keys) =>
        $"The batch has no {type} column '{name}' ({type} columns: {string.Join(", ", keys)}).";

    internal void Fill(Dataset data, ReadOnlySpan<int> indices)
    {
        indices.CopyTo(Indices);
        var columns = data.Columns;
        for (int c = 0; c < columns.Count; c++)
        {
            var column = columns[c];
            int row = column.RowLength;
            if (column.Floats is float[] f)
            {
                var dst = floats[column.Name].AsSpan();
                for (int i = 0; i < indices.Length; i++) f.AsSpan(indices[i] * row, row).CopyTo(dst.Slice(i * row, row));
            }
            else
            {
                var dst = longs[column.Name].AsSpan();
                var src = column.Longs!;
                for (int i = 0; i < indices.Length; i++) src.AsSpan(indices[i] * row, row).CopyTo(dst.Slice(i * row, row));
            }
            if (column.Lengths is int[] l)
            {
                var dst = lengths[column.Name].AsSpan();
                for (int i = 0; i < indices.Length; i++) dst[i] = l[indices[i]];
            }
        }
    }

    internal void Release()
    {
        foreach (var t in floats.Values) t.Dispose();
    }
}
