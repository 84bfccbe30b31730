using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>Joins tensors along an existing axis; all other dimensions must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Concat needs at least one tensor.");
        var first = tensors[0];
        int a = Layout.NormalizeAxis(axis, first.Rank);
        int total = 0;
        foreach (var t in tensors)
        {
            if (t.Rank != first.Rank) throw new ArgumentException($"Concat: ranks differ ({Layout.Format(first.shape)} vs {Layout.Format(t.shape)}).");
            for (int d = 0; d < first.Rank; d++)
                if (d != a && t.shape[d] != first.shape[d])
                    throw new ArgumentException($"Concat along axis {a}: shapes {Layout.Format(first.shape)} and {Layout.Format(t.shape)} differ in dimension {d}.");
            total += t.shape[a];
        }
        var outShape = (int[])first.shape.Clone();
        outShape[a] = total;
        var result = Allocate(outShape);
        int outer = 1, inner = 1;
        for (int d = 0; d < a; d++) outer *= outShape[d];
        for (int d = a + 1; d < outShape.Length; d++) inner *= outShape[d];
        var dst = result.Buffer;
        int rowOut = total * inner;
        int at = 0;
        foreach (var t in tensors)
        {
            var x = t.contiguous ? t : t.CopyContiguousUntracked();
            int block = t.shape[a] * inner;
            var src = x.Buffer;
            for (int o = 0; o < outer; o++)
                Array.Copy(src, x.offset + o * block, dst, o * rowOut + at, block);
            at += block;
            if (!ReferenceEquals(x, t)) x.Dispose();
        }
        var inputs = tensors.ToArray();
        return Autograd.Record(result, inputs, g =>
        {
            int start = 0;
            foreach (var t in inputs)
            {
                int size = t.shape[a];
                if (t.RequiresGrad) t.AccumulateGrad(g.Slice(a, start, start + size));
                start += size;
            }
        }, "Concat");
    }

    public static Tensor Concat(int axis, params Tensor[] tensors) => Concat(tensors, axis);

    /// <summary>Joins tensors of one shape along a new axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack needs at least one tensor.");
        int a = Layout.NormalizeAxis(axis, tensors[0].Rank + 1);
        foreach (var t in tensors)
            if (!Layout.SameShape(t.shape, tensors[0].shape))
                throw new ArgumentException($"Stack: shapes {Layout.Format(tensors[0].shape)} and {Layout.Format(t.shape)} differ.");
        var expanded = new Tensor[tensors.Count];
        for (int i = 0; i < expanded.Length; i++) expanded[i] = tensors[i].Unsqueeze(a);
        return Concat(expanded, a);
    }

    /// <summary>Views of consecutive pieces with the given sizes along <paramref name="axis"/>.</summary>
    public Tensor[] Split(ReadOnlySpan<int> sizes, int axis = 0)
    {
        int a = Layout.NormalizeAxis(axis, shape.Length);
        int sum = 0;
        foreach (int s in sizes) sum += s;
        if (sum != shape[a]) throw new ArgumentException($"Split sizes add up to {sum}, dimension {a} has {shape[a]}.");
        var parts = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = Slice(a, start, start + sizes[i]);
            start += sizes[i];
        }
        return parts;
    }

    /// <summary>Views of pieces of <paramref name="splitSize"/> along the axis (the last may be smaller).</summary>
    public Tensor[] Split(int splitSize, int axis = 0)
    {
        int a = Layout.NormalizeAxis(axis, shape.Length);
        if (splitSize <= 0) throw new ArgumentException("Split size must be positive.");
        var sizes = new List<int>();
        for (int s = 0; s < shape[a]; s += splitSize) sizes.Add(Math.Min(splitSize, shape[a] - s));
        return Split(sizes.ToArray(), a);
    }

    /// <summary>Splits into <paramref name="chunks"/> pieces of size ceil(n / chunks) (PyTorch's chunk).</summary>
    public Tensor[] Chunk(int chunks, int axis = 0)
    {
        if (chunks <= 0) throw new ArgumentException("Chunk count must be positive.");
        int a = Layout.NormalizeAxis(axis, shape.Length);
        int size = (shape[a] + chunks - 1) / chunks;
        return Split(Math.Max(size, 1), a);
    }
}
