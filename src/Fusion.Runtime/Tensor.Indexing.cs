using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    private static void CheckIndex(long value, int size, int axis)
    {
        if (value < 0 || value >= size)
            throw new IndexOutOfRangeException($"Index {value} out of range for dimension {axis} of size {size}.");
    }

    /// <summary>
    /// Picks the entries index[0..] along <paramref name="axis"/> (1-D index; repeats allowed).
    /// The result has the input's shape with that dimension replaced by the index length.
    /// An embedding lookup is <c>weight.IndexSelect(0, ids)</c>.
    /// </summary>
    public Tensor IndexSelect(int axis, LongTensor index)
    {
        int a = Layout.NormalizeAxis(axis, shape.Length);
        if (index.Rank != 1) throw new ArgumentException($"IndexSelect needs a 1-D index; got shape {Layout.Format(index.Shape)}.");
        var ids = index.ToArray();
        foreach (long id in ids) CheckIndex(id, shape[a], a);
        int outer = 1, inner = 1, r = shape[a];
        for (int d = 0; d < a; d++) outer *= shape[d];
        for (int d = a + 1; d < shape.Length; d++) inner *= shape[d];
        var outShape = (int[])shape.Clone();
        outShape[a] = ids.Length;
        var x = contiguous ? this : CopyContiguousUntracked();
        var result = Allocate(outShape);
        var src = x.Buffer;
        var dst = result.Buffer;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < ids.Length; j++)
                Array.Copy(src, x.offset + (o * r + (int)ids[j]) * inner, dst, (o * ids.Length + j) * inner, inner);
        if (!ReferenceEquals(x, this)) x.Dispose();
        return Autograd.Record(result, [this], g =>
        {
            // Scatter-add straight into this tensor's gradient (no full-size temporary).
            if (!TryGetGradAccumulator(out var d)) return;
            var gs = g.Buffer;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < ids.Length; j++)
                {
                    var to = d.Slice((o * r + (int)ids[j]) * inner, inner);
                    System.Numerics.Tensors.TensorPrimitives.Add(to, gs.AsSpan(g.offset + (o * ids.Length + j) * inner, inner), to);
                }
        }, "IndexSelect");
    }

    /// <summary>
    /// PyTorch's gather: out[i][j][k] = x[i][index[i][j][k]][k] for axis 1 (likewise for other
    /// axes). The index has the input's rank; its size along other axes must not exceed the input's.
    /// </summary>
    public Tensor Gather(int axis, LongTensor index)
    {
        int a = Layout.NormalizeAxis(axis, shape.Length);
        if (index.Rank != shape.Length) throw new ArgumentException($"Gather: index rank {index.Rank} differs from input rank {shape.Length}.");
        var ishape = index.Shape.ToArray();
        for (int d = 0; d < ishape.Length; d++)
            if (d != a && ishape[d] > shape[d])
                throw new ArgumentException($"Gather: index shape {Layout.Format(ishape)} exceeds input shape {Layout.Format(shape)} in dimension {d}.");
        var ids = index.ToArray();
        var offsets = new int[ids.Length];
        var flat = new int[ids.Length];
        var contiguousStrides = Layout.ContiguousStrides(shape);
        var coord = new int[ishape.Length];
        for (int e = 0; e < ids.Length; e++)
        {
            CheckIndex(ids[e], shape[a], a);
            int o = offset, f = 0;
            for (int d = 0; d < ishape.Length; d++)
            {
                int c = d == a ? (int)ids[e] : coord[d];
                o += c * strides[d];
                f += c * contiguousStrides[d];
            }
            offsets[e] = o;
            flat[e] = f;
            for (int d = ishape.Length - 1; d >= 0; d--)
            {
                if (++coord[d] < ishape[d]) break;
                coord[d] = 0;
            }
        }
        var result = Allocate(ishape);
        var src = Buffer;
        var dst = result.Buffer;
        for (int e = 0; e < offsets.Length; e++) dst[e] = src[offsets[e]];
        return Autograd.Record(result, [this], g =>
        {
            if (!TryGetGradAccumulator(out var d)) return;
            var gs = g.Buffer;
            for (int e = 0; e < flat.Length; e++) d[flat[e]] += gs[g.offset + e];
        }, "Gather");
    }

    /// <summary>Replaces the elements where <paramref name="mask"/> is non-zero by <paramref name="value"/> (mask broadcasts to this shape).</summary>
    public Tensor MaskedFill(Tensor mask, float value)
    {
        var m = MaskAs(mask, shape);
        var x = contiguous ? this : CopyContiguousUntracked();
        var result = Allocate((int[])shape.Clone());
        var ms = m.Buffer;
        var xs = x.Buffer;
        var dst = result.Buffer;
        for (int i = 0; i < numel; i++) dst[i] = ms[i] != 0f ? value : xs[x.offset + i];
        if (!ReferenceEquals(x, this)) x.Dispose();
        return Autograd.Record(result, [this], g =>
        {
            var dx = Allocate((int[])shape.Clone());
            var d = dx.Buffer;
            var gs = g.Buffer;
            for (int i = 0; i < numel; i++) d[i] = ms[i] != 0f ? 0f : gs[g.offset + i];
            AccumulateGrad(dx);
        }, "MaskedFill");
    }

    /// <summary>A contiguous 0/1 copy of <paramref name="mask"/> broadcast to <paramref name="target"/> (not recorded).</summary>
    private static Tensor MaskAs(Tensor mask, int[] target)
    {
        var st = new int[target.Length];
        Layout.BroadcastStrides(mask.shape, mask.strides, target, st);
        var result = Allocate((int[])target.Clone());
        var view = new Tensor(mask.storage, mask.offset, (int[])target.Clone(), st, owned: false);
        mask.storage.AddReference();
        TensorKernels.StridedCopy(view, result.Buffer, 0);
        view.Dispose();
        return result;
    }

    /// <summary>Element-wise choice: a where <paramref name="condition"/> is non-zero, else b (all three broadcast).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var outShape = Layout.Broadcast(Layout.Broadcast(condition.shape, a.shape), b.shape);
        var c = MaskAs(condition, outShape);
        var ea = MaskAs(a, outShape);
        var eb = MaskAs(b, outShape);
        var result = Allocate(outShape);
        var cs = c.Buffer;
        var xa = ea.Buffer;
        var xb = eb.Buffer;
        var dst = result.Buffer;
        for (int i = 0; i < result.numel; i++) dst[i] = cs[i] != 0f ? xa[i] : xb[i];
        ea.Dispose();
        eb.Dispose();
        return Autograd.Record(result, [a, b], g =>
        {
            var chosen = c.Ne(0f);
            if (a.RequiresGrad) a.AccumulateGrad(g * chosen);
            if (b.RequiresGrad) b.AccumulateGrad(g * (1f - chosen));
        }, "Where");
    }

    /// <summary>1 where the element is not equal to <paramref name="other"/>, else 0.</summary>
    public Tensor Ne(float other)
    {
        var eq = Eq(other);
        var span = eq.AsSpan();
        for (int i = 0; i < span.Length; i++) span[i] = 1f - span[i];
        return eq;
    }
}
