namespace Fusion.Runtime.Compute;

/// <summary>Shape and stride arithmetic shared by every op.</summary>
internal static class Layout
{
    public const int MaxRank = 16;

    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Negative dimension {d} in shape {Format(shape)}.");
            n *= d;
        }
        if (n > int.MaxValue) throw new ArgumentException($"Shape {Format(shape)} has more than int.MaxValue elements.");
        return (int)n;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public static int NormalizeAxis(int axis, int rank, string paramName = "axis")
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentOutOfRangeException(paramName, $"Axis {axis} is out of range for a tensor of rank {rank}.");
        return a;
    }

    /// <summary>NumPy broadcasting of two shapes; throws with both shapes when they do not broadcast.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da == db || db == 1) result[i] = da;
            else if (da == 1) result[i] = db;
            else throw new ArgumentException($"Shapes {Format(a)} and {Format(b)} do not broadcast (dimension {i}: {da} vs {db}).");
        }
        return result;
    }

    /// <summary>
    /// Strides of a tensor viewed with a broadcast (right-aligned) target shape: broadcast
    /// dimensions get stride 0. Writes into <paramref name="result"/> (length = target rank).
    /// </summary>
    public static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target, Span<int> result)
    {
        int lead = target.Length - shape.Length;
        if (lead < 0) throw new ArgumentException($"Cannot broadcast shape {Format(shape)} to {Format(target)}.");
        for (int i = 0; i < target.Length; i++)
        {
            if (i < lead) { result[i] = 0; continue; }
            int d = shape[i - lead];
            if (d == target[i]) result[i] = d == 1 ? 0 : strides[i - lead];
            else if (d == 1) result[i] = 0;
            else throw new ArgumentException($"Cannot broadcast shape {Format(shape)} to {Format(target)}.");
        }
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
