namespace Fusion.Runtime.Data;

/// <summary>
/// An array read from a numpy <c>.npy</c> file: its shape and its values, widened to float32
/// (from <c>&lt;f4</c>, <c>&lt;f8</c>) or int64 (from <c>&lt;i8</c>, <c>&lt;i4</c>).
/// <see cref="Descr"/> is the dtype as the file spells it.
/// </summary>
public sealed class NpyArray
{
    public NpyArray(int[] shape, float[] values, string descr = "<f4")
    {
        if (ShapeText.Numel(shape) != values.Length) throw new ArgumentException($"{values.Length} values do not fill shape {ShapeText.Format(shape)}.");
        Shape = shape;
        Floats = values;
        Descr = descr;
    }

    public NpyArray(int[] shape, long[] values, string descr = "<i8")
    {
        if (ShapeText.Numel(shape) != values.Length) throw new ArgumentException($"{values.Length} values do not fill shape {ShapeText.Format(shape)}.");
        Shape = shape;
        Longs = values;
        Descr = descr;
    }

    public int[] Shape { get; }
    public float[]? Floats { get; }
    public long[]? Longs { get; }
    public string Descr { get; }
    public DataType Type => Floats is not null ? DataType.Float32 : DataType.Int64;
    public int Length => Floats?.Length ?? Longs!.Length;

    /// <summary>The dtype in numpy's words: float32, float64, int64, int32.</summary>
    public string DtypeName => Descr switch { "<f4" => "float32", "<f8" => "float64", "<i8" => "int64", "<i4" => "int32", _ => Descr };
}
