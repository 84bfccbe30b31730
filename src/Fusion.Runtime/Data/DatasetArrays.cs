namespace Fusion.Runtime.Data;

/// <summary>A dataset as named numpy arrays: each column <c>[samples, ...]</c>, plus <c>name_lengths</c> (int64) where a column has lengths.</summary>
public static class DatasetArrays
{
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> ToArrays(Dataset data)
    {
        var arrays = new List<KeyValuePair<string, NpyArray>>();
        foreach (var c in data.Columns)
        {
            var shape = new int[c.SampleShape.Length + 1];
            shape[0] = c.Count;
            c.SampleShape.CopyTo(shape, 1);
            arrays.Add(new(c.Name, c.Floats is float[] f ? new NpyArray(shape, f) : new NpyArray(shape, c.Longs!)));
            if (c.Lengths is int[] l)
                arrays.Add(new(DataSchema.LengthsName(c.Name), new NpyArray([c.Count], l.Select(x => (long)x).ToArray())));
        }
        return arrays;
    }
}
