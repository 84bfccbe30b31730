using System.Globalization;
using System.Text;
using Fusion.Runtime.Compute;
using Fusion.Runtime.Memory;

namespace Fusion.Runtime;

/// <summary>
/// A dense float32 tensor, row-major, on the CPU. A tensor is a view (offset, shape, strides)
/// over a reference-counted storage; reshape, transpose, slice, expand and detach share the
/// storage. Operations record themselves on the autograd graph when an input requires a
/// gradient and no <see cref="NoGrad"/> scope is open. Tensors created while a
/// <see cref="TensorScope"/> is open are owned by it and released when it ends.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorStorage storage;
    private readonly int offset;
    private readonly int[] shape;
    private readonly int[] strides;
    private readonly int numel;
    private readonly bool contiguous;
    private TensorScope? scope;
    private bool disposed;

    internal Tensor(TensorStorage storage, int offset, int[] shape, int[] strides, bool owned = true)
    {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        numel = Layout.Numel(shape);
        contiguous = Layout.IsContiguous(shape, strides);
        if (owned)
        {
            scope = TensorScope.Current;
            scope?.Add(this);
        }
    }

    /// <summary>A new contiguous tensor over a pooled, uninitialised buffer.</summary>
    internal static Tensor Allocate(int[] shape, bool owned = true)
    {
        int n = Layout.Numel(shape);
        return new Tensor(TensorStorage.Rent(n), 0, shape, Layout.ContiguousStrides(shape), owned);
    }

    /// <summary>The sizes of the dimensions.</summary>
    public ReadOnlySpan<int> Shape => shape;

    /// <summary>Element strides of the dimensions (0 for expanded dimensions).</summary>
    public ReadOnlySpan<int> Strides => strides;

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Number of elements.</summary>
    public int Numel => numel;

    /// <summary>Whether the elements lie in row-major order without gaps.</summary>
    public bool IsContiguous => contiguous;

    /// <summary>Whether the tensor was disposed or released by its scope.</summary>
    public bool IsDisposed => disposed;

    /// <summary>Size of one dimension; negative dimensions count from the end.</summary>
    public int Size(int dim) => shape[Layout.NormalizeAxis(dim, shape.Length, nameof(dim))];

    internal int[] ShapeArray => shape;
    internal int[] StrideArray => strides;
    internal int Offset => offset;
    internal TensorStorage Storage => storage;

    /// <summary>The underlying array (check <see cref="Offset"/> and strides). Throws once released.</summary>
    internal float[] Buffer
    {
        get
        {
            if (disposed) throw new ObjectDisposedException(nameof(Tensor), "The tensor was disposed (its dispose scope ended or Dispose was called).");
            return storage.Data;
        }
    }

    /// <summary>
    /// The elements of a contiguous tensor as a writable span. Writing through it bypasses
    /// autograd (use it to fill results of new ops, or in optimisers under NoGrad).
    /// Throws for a non-contiguous view: call <see cref="Contiguous"/> first.
    /// </summary>
    public Span<float> AsSpan()
    {
        if (!contiguous) throw new InvalidOperationException($"AsSpan needs a contiguous tensor; this one has shape {Layout.Format(shape)} and strides {Layout.Format(strides)}. Call Contiguous() first.");
        return Buffer.AsSpan(offset, numel);
    }

    /// <summary>Read-only elements of a contiguous tensor.</summary>
    public ReadOnlySpan<float> AsReadOnlySpan() => AsSpan();

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (numel != 1) throw new InvalidOperationException($"Item() needs a tensor with one element; shape is {Layout.Format(shape)}.");
        return Buffer[offset];
    }

    /// <summary>The element at a full index (slow; for tests and inspection).</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get
        {
            if (index.Length != shape.Length) throw new ArgumentException($"Index of rank {index.Length} for a tensor of rank {shape.Length}.");
            int o = offset;
            for (int i = 0; i < index.Length; i++)
            {
                int k = index[i] < 0 ? index[i] + shape[i] : index[i];
                if (k < 0 || k >= shape[i]) throw new IndexOutOfRangeException($"Index {index[i]} out of range for dimension {i} of size {shape[i]}.");
                o += k * strides[i];
            }
            return Buffer[o];
        }
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    public float[] ToArray()
    {
        var result = new float[numel];
        TensorKernels.StridedCopy(this, result, 0);
        return result;
    }

    /// <summary>A new contiguous tensor with the same values, recorded on the graph (gradient passes through).</summary>
    public Tensor Clone()
    {
        var result = Allocate((int[])shape.Clone());
        TensorKernels.StridedCopy(this, result.Buffer, 0);
        return Autograd.Record(result, [this], g => AccumulateGrad(g), "Clone");
    }

    /// <summary>
    /// This tensor if it is contiguous; otherwise a contiguous copy recorded on the graph.
    /// Note: the result may be this very object, so do not dispose it separately.
    /// </summary>
    public Tensor Contiguous() => contiguous ? this : Clone();

    /// <summary>Releases the storage reference (and the gradient). Accessing the data afterwards throws.</summary>
    public void Dispose()
    {
        if (disposed) return;
        scope?.Remove(this);
        scope = null;
        Release();
    }

    internal void ReleaseFromScope()
    {
        scope = null;
        if (!disposed) Release();
    }

    private void Release()
    {
        disposed = true;
        storage.Release();
        var g = grad;
        grad = null;
        g?.Dispose();
        pendingGrad?.Dispose();
        pendingGrad = null;
        // gradFn stays: a later Backward through a released tensor fails loudly (ObjectDisposedException)
        // instead of silently treating it as a leaf.
    }

    /// <summary>Takes this tensor out of its dispose scope and hands it to the enclosing one (or to nobody).</summary>
    public Tensor MoveToOuterScope()
    {
        if (scope is null) return this;
        var outer = scope.Outer;
        scope.Remove(this);
        scope = outer;
        outer?.Add(this);
        return this;
    }

    /// <summary>Takes this tensor out of any dispose scope: it lives until disposed or collected.</summary>
    public Tensor DetachFromScope()
    {
        scope?.Remove(this);
        scope = null;
        return this;
    }

    /// <summary>Opens a dispose scope on this thread (see <see cref="TensorScope"/>).</summary>
    public static TensorScope NewScope() => new();

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(Layout.Format(shape));
        if (requiresGrad) sb.Append(" requires_grad");
        if (disposed) return sb.Append(" (disposed)").ToString();
        sb.Append(' ');
        var values = ToArray();
        int shown = Math.Min(values.Length, 16);
        sb.Append('[');
        for (int i = 0; i < shown; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(values[i].ToString("G6", CultureInfo.InvariantCulture));
        }
        if (shown < values.Length) sb.Append(", ...");
        sb.Append(']');
        return sb.ToString();
    }
}
