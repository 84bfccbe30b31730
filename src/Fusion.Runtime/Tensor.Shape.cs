using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>A view sharing this storage (not recorded; callers record it).</summary>
    private Tensor MakeView(int newOffset, int[] newShape, int[] newStrides)
    {
        storage.AddReference();
        return new Tensor(storage, newOffset, newShape, newStrides);
    }

    /// <summary>A contiguous view of a contiguous tensor with another shape of the same size (not recorded).</summary>
    internal static Tensor ViewOf(Tensor t, int[] shape)
    {
        if (!t.contiguous) throw new InvalidOperationException("ViewOf needs a contiguous tensor.");
        if (Layout.Numel(shape) != t.numel) throw new ArgumentException($"Cannot view {Layout.Format(t.shape)} as {Layout.Format(shape)}.");
        return t.MakeView(t.offset, shape, Layout.ContiguousStrides(shape));
    }

    private int[] ResolveShape(ReadOnlySpan<int> requested)
    {
        var result = requested.ToArray();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException("Only one dimension may be -1.");
                infer = i;
            }
            else if (result[i] < 0) throw new ArgumentException($"Invalid dimension {result[i]} in {Layout.Format(requested)}.");
            else known *= result[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || numel % known != 0) throw new ArgumentException($"Cannot reshape {Layout.Format(shape)} ({numel} elements) to {Layout.Format(requested)}.");
            result[infer] = (int)(numel / known);
        }
        if (Layout.Numel(result) != numel) throw new ArgumentException($"Cannot reshape {Layout.Format(shape)} ({numel} elements) to {Layout.Format(requested)}.");
        return result;
    }

    /// <summary>Same elements, another shape (one dimension may be -1). A view when contiguous, else a copy.</summary>
    public Tensor Reshape(params ReadOnlySpan<int> newShape)
    {
        var s = ResolveShape(newShape);
        if (!contiguous)
        {
            var copy = Clone();
            return copy.Reshape(s);
        }
        var inputShape = shape;
        var result = MakeView(offset, s, Layout.ContiguousStrides(s));
        return Autograd.Record(result, [this], g => AccumulateGrad(ViewOf(g, inputShape)), "Reshape");
    }

    /// <summary>Like <see cref="Reshape"/> but requires a contiguous tensor (never copies).</summary>
    public Tensor View(params ReadOnlySpan<int> newShape)
    {
        if (!contiguous) throw new InvalidOperationException($"View needs a contiguous tensor (shape {Layout.Format(shape)}, strides {Layout.Format(strides)}); use Reshape or Contiguous().");
        return Reshape(newShape);
    }

    /// <summary>Merges dimensions startDim..endDim into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (shape.Length == 0) return Reshape(1);
        int s = Layout.NormalizeAxis(startDim, shape.Length, nameof(startDim));
        int e = Layout.NormalizeAxis(endDim, shape.Length, nameof(endDim));
        if (e < s) throw new ArgumentException("endDim precedes startDim.");
        var ns = new int[shape.Length - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) ns[k++] = shape[i];
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= shape[i];
        ns[k++] = merged;
        for (int i = e + 1; i < shape.Length; i++) ns[k++] = shape[i];
        return Reshape(ns);
    }

    /// <summary>Swaps two dimensions (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int a = Layout.NormalizeAxis(dim0, shape.Length, nameof(dim0));
        int b = Layout.NormalizeAxis(dim1, shape.Length, nameof(dim1));
        var ns = (int[])shape.Clone();
        var st = (int[])strides.Clone();
        (ns[a], ns[b]) = (ns[b], ns[a]);
        (st[a], st[b]) = (st[b], st[a]);
        var result = MakeView(offset, ns, st);
        return Autograd.Record(result, [this], g => AccumulateGrad(g.Transpose(a, b)), "Transpose");
    }

    /// <summary>The transpose of a 2-D tensor (a view).</summary>
    public Tensor T()
    {
        if (shape.Length != 2) throw new InvalidOperationException($"T() needs a 2-D tensor; shape is {Layout.Format(shape)}.");
        return Transpose(0, 1);
    }

    /// <summary>Reorders the dimensions (a view): result dimension i is input dimension dims[i].</summary>
    public Tensor Permute(params ReadOnlySpan<int> dims)
    {
        if (dims.Length != shape.Length) throw new ArgumentException($"Permute needs {shape.Length} dimensions, got {dims.Length}.");
        var ns = new int[shape.Length];
        var st = new int[shape.Length];
        var inverse = new int[shape.Length];
        var seen = new bool[shape.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            int d = Layout.NormalizeAxis(dims[i], shape.Length, nameof(dims));
            if (seen[d]) throw new ArgumentException($"Dimension {d} repeated in Permute.");
            seen[d] = true;
            ns[i] = shape[d];
            st[i] = strides[d];
            inverse[d] = i;
        }
        var result = MakeView(offset, ns, st);
        return Autograd.Record(result, [this], g => AccumulateGrad(g.Permute(inverse)), "Permute");
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (negative counts from the end of the result).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = Layout.NormalizeAxis(dim, shape.Length + 1, nameof(dim));
        var ns = new int[shape.Length + 1];
        var st = new int[shape.Length + 1];
        for (int i = 0, k = 0; i < ns.Length; i++)
        {
            if (i == d)
            {
                ns[i] = 1;
                st[i] = d < shape.Length ? strides[d] * shape[d] : 1;
                continue;
            }
            ns[i] = shape[k];
            st[i] = strides[k];
            k++;
        }
        var inputShape = shape;
        var result = MakeView(offset, ns, st);
        return Autograd.Record(result, [this], g => AccumulateGrad(ViewOf(g, inputShape)), "Unsqueeze");
    }

    /// <summary>Removes dimension <paramref name="dim"/>, which must have size 1.</summary>
    public Tensor Squeeze(int dim)
    {
        int d = Layout.NormalizeAxis(dim, shape.Length, nameof(dim));
        if (shape[d] != 1) throw new ArgumentException($"Cannot squeeze dimension {dim} of size {shape[d]}.");
        return DropDims(i => i == d, "Squeeze");
    }

    /// <summary>Removes every dimension of size 1.</summary>
    public Tensor Squeeze() => DropDims(i => shape[i] == 1, "Squeeze");

    private Tensor DropDims(Func<int, bool> drop, string name)
    {
        var ns = new List<int>();
        var st = new List<int>();
        for (int i = 0; i < shape.Length; i++)
        {
            if (drop(i)) continue;
            ns.Add(shape[i]);
            st.Add(strides[i]);
        }
        var inputShape = shape;
        var result = MakeView(offset, ns.ToArray(), st.ToArray());
        return Autograd.Record(result, [this], g => AccumulateGrad(ViewOf(g, inputShape)), name);
    }

    /// <summary>Elements start, start+step, ... (before end) along <paramref name="dim"/> (a view). Negative start/end count from the end.</summary>
    public Tensor Slice(int dim, int start, int end, int step = 1)
    {
        int d = Layout.NormalizeAxis(dim, shape.Length, nameof(dim));
        if (step <= 0) throw new ArgumentException("Slice step must be positive.", nameof(step));
        int size = shape[d];
        int s = start < 0 ? start + size : start;
        int e = end < 0 ? end + size : end;
        s = Math.Clamp(s, 0, size);
        e = Math.Clamp(e, s, size);
        int count = (e - s + step - 1) / step;
        var ns = (int[])shape.Clone();
        var st = (int[])strides.Clone();
        ns[d] = count;
        st[d] = strides[d] * step;
        var result = MakeView(offset + s * strides[d], ns, st);
        var inputShape = shape;
        int regionOffset = s * Layout.ContiguousStrides(shape)[d];
        return Autograd.Record(result, [this], g =>
        {
            // Add the gradient straight into the matching region of this tensor's gradient.
            AccumulateGradRegion(g, regionOffset, ns, StridedAlong(Layout.ContiguousStrides(inputShape), d, step));
        }, "Slice");
    }

    private static int[] StridedAlong(int[] baseStrides, int dim, int step)
    {
        var st = (int[])baseStrides.Clone();
        st[dim] *= step;
        return st;
    }

    /// <summary>The sub-tensor at <paramref name="index"/> along <paramref name="dim"/>, with that dimension removed (a view).</summary>
    public Tensor Select(int dim, int index)
    {
        int d = Layout.NormalizeAxis(dim, shape.Length, nameof(dim));
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} out of range for dimension {dim} of size {shape[d]}.");
        return Slice(d, i, i + 1).Squeeze(d);
    }

    /// <summary>Broadcasts size-1 dimensions (and new leading ones) to <paramref name="newShape"/> without copying; -1 keeps a size.</summary>
    public Tensor Expand(params ReadOnlySpan<int> newShape)
    {
        if (newShape.Length < shape.Length) throw new ArgumentException($"Cannot expand {Layout.Format(shape)} to fewer dimensions {Layout.Format(newShape)}.");
        var target = newShape.ToArray();
        int lead = target.Length - shape.Length;
        for (int i = 0; i < target.Length; i++)
            if (target[i] == -1)
            {
                if (i < lead) throw new ArgumentException("-1 is not allowed for a new leading dimension in Expand.");
                target[i] = shape[i - lead];
            }
        var st = new int[target.Length];
        Layout.BroadcastStrides(shape, strides, target, st);
        var result = MakeView(offset, target, st);
        return Autograd.Record(result, [this], g => AccumulateGrad(g), "Expand");
    }

    /// <summary>
    /// Tiles the tensor (PyTorch's repeat): dimension i is repeated repeats[i] times; extra leading
    /// repeats add dimensions. A copy; the gradient sums over the tiles.
    /// </summary>
    public Tensor Repeat(params ReadOnlySpan<int> repeats)
    {
        if (repeats.Length < shape.Length)
            throw new ArgumentException($"Repeat needs at least {shape.Length} counts for shape {Layout.Format(shape)}.");
        int lead = repeats.Length - shape.Length;
        var interleaved = new int[2 * repeats.Length];
        var expanded = new int[2 * repeats.Length];
        var final = new int[repeats.Length];
        for (int i = 0; i < repeats.Length; i++)
        {
            if (repeats[i] < 0) throw new ArgumentException("Repeat counts must not be negative.");
            int size = i < lead ? 1 : shape[i - lead];
            interleaved[2 * i] = 1;
            interleaved[2 * i + 1] = size;
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = size;
            final[i] = repeats[i] * size;
        }
        return Reshape(interleaved).Expand(expanded).Reshape(final);
    }

    /// <summary>Expands to the shape of <paramref name="other"/>.</summary>
    public Tensor ExpandAs(Tensor other) => Expand(other.shape);
}
