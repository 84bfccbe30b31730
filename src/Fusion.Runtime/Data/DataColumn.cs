namespace Fusion.Runtime.Data;

/// <summary>
/// One named column of a <see cref="Dataset"/>: <see cref="Count"/> samples of
/// <see cref="SampleShape"/> each, stored row-major in one float32 or int64 array, with optional
/// per-sample lengths (sequence and tokens modalities: steps at or beyond a sample's length are padding).
/// </summary>
public sealed class DataColumn
{
    private DataColumn(string name, DataType type, int[] sampleShape, int count, float[]? floats, long[]? longs, int[]? lengths)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A column needs a name.", nameof(name));
        foreach (int d in sampleShape)
            if (d < 0) throw new ArgumentException($"Column '{name}': sample shape {ShapeText.Format(sampleShape)} has a negative axis.");
        int rowLength = ShapeText.Numel(sampleShape);
        long expected = (long)rowLength * count;
        int actual = floats?.Length ?? longs!.Length;
        if (count < 0 || expected != actual)
            throw new ArgumentException($"Column '{name}': {actual} values do not fill {count} samples of shape {ShapeText.Format(sampleShape)}.");
        if (lengths is not null)
        {
            if (sampleShape.Length == 0) throw new ArgumentException($"Column '{name}': lengths need a per-sample shape with a first (step) axis.");
            if (lengths.Length != count) throw new ArgumentException($"Column '{name}': {lengths.Length} lengths for {count} samples.");
            for (int i = 0; i < lengths.Length; i++)
                if (lengths[i] < 0 || lengths[i] > sampleShape[0])
                    throw new ArgumentException($"Column '{name}': length {lengths[i]} of sample {i} is outside [0, {sampleShape[0]}].");
        }
        Name = name;
        Type = type;
        SampleShape = sampleShape;
        Count = count;
        RowLength = rowLength;
        Floats = floats;
        Longs = longs;
        Lengths = lengths;
    }

    /// <summary>A float32 column over <paramref name="values"/> (not copied).</summary>
    public static DataColumn FromFloats(string name, float[] values, int[] sampleShape, int[]? lengths = null) =>
        new(name, DataType.Float32, (int[])sampleShape.Clone(), CountOf(values.Length, sampleShape), values, null, lengths);

    /// <summary>An int64 column over <paramref name="values"/> (not copied).</summary>
    public static DataColumn FromLongs(string name, long[] values, int[] sampleShape, int[]? lengths = null) =>
        new(name, DataType.Int64, (int[])sampleShape.Clone(), CountOf(values.Length, sampleShape), null, values, lengths);

    private static int CountOf(int values, int[] sampleShape)
    {
        int row = ShapeText.Numel(sampleShape);
        return row == 0 ? 0 : values / row;
    }

    public string Name { get; }
    public DataType Type { get; }

    /// <summary>The shape of one sample (no batch axis); <c>[]</c> for a scalar such as a class index.</summary>
    public int[] SampleShape { get; }

    public int Count { get; }

    /// <summary>Elements per sample.</summary>
    public int RowLength { get; }

    /// <summary>The values of a float32 column (row-major, <c>[Count, ...SampleShape]</c>), else null.</summary>
    public float[]? Floats { get; }

    /// <summary>The values of an int64 column, else null.</summary>
    public long[]? Longs { get; }

    /// <summary>Per-sample lengths along the first sample axis, or null (every step is valid).</summary>
    public int[]? Lengths { get; }

    /// <summary>The samples at <paramref name="indices"/>, in that order (a copy).</summary>
    public DataColumn Select(ReadOnlySpan<int> indices)
    {
        int[]? lengths = Lengths is null ? null : new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"Column '{Name}' has {Count} samples.");
            if (lengths is not null) lengths[i] = Lengths![indices[i]];
        }
        if (Floats is not null)
        {
            var values = new float[indices.Length * RowLength];
            for (int i = 0; i < indices.Length; i++) Floats.AsSpan(indices[i] * RowLength, RowLength).CopyTo(values.AsSpan(i * RowLength));
            return new(Name, Type, SampleShape, indices.Length, values, null, lengths);
        }
        var longs = new long[indices.Length * RowLength];
        for (int i = 0; i < indices.Length; i++) Longs!.AsSpan(indices[i] * RowLength, RowLength).CopyTo(longs.AsSpan(i * RowLength));
        return new(Name, Type, SampleShape, indices.Length, null, longs, lengths);
    }

    public override string ToString() => $"{Name}: {Type} {ShapeText.Format(SampleShape)} x {Count}{(Lengths is null ? "" : " with lengths")}";
}
