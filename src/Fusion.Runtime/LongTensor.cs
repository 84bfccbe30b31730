using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

/// <summary>
/// A dense int64 tensor, row-major and always contiguous, for class labels, token ids and
/// indices (Gather, IndexSelect, embeddings). It carries no gradient.
/// </summary>
public sealed class LongTensor
{
    private readonly long[] data;
    private readonly int[] shape;

    private LongTensor(long[] data, int[] shape)
    {
        if (Layout.Numel(shape) != data.Length)
            throw new ArgumentException($"{data.Length} values do not fill shape {Layout.Format(shape)}.");
        this.data = data;
        this.shape = shape;
    }

    /// <summary>A tensor over a copy of <paramref name="values"/> (1-D when no shape is given).</summary>
    public static LongTensor FromArray(long[] values, params ReadOnlySpan<int> shape) =>
        new((long[])values.Clone(), shape.Length == 0 ? [values.Length] : shape.ToArray());

    public static LongTensor FromArray(int[] values, params ReadOnlySpan<int> shape)
    {
        var copy = new long[values.Length];
        for (int i = 0; i < values.Length; i++) copy[i] = values[i];
        return new(copy, shape.Length == 0 ? [values.Length] : shape.ToArray());
    }

    public static LongTensor Zeros(params ReadOnlySpan<int> shape) => new(new long[Layout.Numel(shape)], shape.ToArray());

    /// <summary>0, 1, ..., n - 1.</summary>
    public static LongTensor Arange(int n)
    {
        var values = new long[n];
        for (int i = 0; i < n; i++) values[i] = i;
        return new(values, [n]);
    }

    public ReadOnlySpan<int> Shape => shape;
    public int Rank => shape.Length;
    public int Numel => data.Length;
    public int Size(int dim) => shape[Layout.NormalizeAxis(dim, shape.Length, nameof(dim))];

    /// <summary>The elements, row-major, writable.</summary>
    public Span<long> AsSpan() => data;

    public long[] ToArray() => (long[])data.Clone();

    public long Item()
    {
        if (data.Length != 1) throw new InvalidOperationException($"Item() needs one element; shape is {Layout.Format(shape)}.");
        return data[0];
    }

    [System.Runtime.CompilerServices.IndexerName("At")]
    public long this[params int[] index]
    {
        get
        {
            if (index.Length != shape.Length) throw new ArgumentException($"Index of rank {index.Length} for a tensor of rank {shape.Length}.");
            int o = 0;
            for (int i = 0; i < index.Length; i++)
            {
                int k = index[i] < 0 ? index[i] + shape[i] : index[i];
                if (k < 0 || k >= shape[i]) throw new IndexOutOfRangeException($"Index {index[i]} out of range for dimension {i} of size {shape[i]}.");
                o = o * shape[i] + k;
            }
            return data[o];
        }
    }

    /// <summary>The same elements with another shape (shares the data; one dimension may be -1).</summary>
    public LongTensor Reshape(params ReadOnlySpan<int> newShape)
    {
        var s = newShape.ToArray();
        int infer = Array.IndexOf(s, -1);
        if (infer >= 0)
        {
            int known = 1;
            for (int i = 0; i < s.Length; i++) if (i != infer) known *= s[i];
            s[infer] = known == 0 ? 0 : data.Length / known;
        }
        return new LongTensor(data, s);
    }

    /// <summary>The values as a float tensor.</summary>
    public Tensor ToFloat()
    {
        var t = Tensor.Empty(shape);
        var span = t.AsSpan();
        for (int i = 0; i < data.Length; i++) span[i] = data[i];
        return t;
    }

    /// <summary>Number of positions where this equals <paramref name="other"/> (same shape).</summary>
    public int CountEqual(LongTensor other)
    {
        if (!Layout.SameShape(shape, other.shape)) throw new ArgumentException($"Shapes {Layout.Format(shape)} and {Layout.Format(other.shape)} differ.");
        int count = 0;
        for (int i = 0; i < data.Length; i++) if (data[i] == other.data[i]) count++;
        return count;
    }

    public override string ToString() =>
        "LongTensor" + Layout.Format(shape) + " [" + string.Join(", ", data.Take(16)) + (data.Length > 16 ? ", ..." : "") + "]";
}
