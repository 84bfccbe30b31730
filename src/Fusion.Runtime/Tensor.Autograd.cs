using Fusion.Runtime.Compute;
using Fusion.Runtime.Memory;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    private bool requiresGrad;
    private bool retainGrad;
    private Tensor? grad;
    private Tensor? pendingGrad;
    private GradNode? gradFn;

    /// <summary>
    /// Whether gradients flow to this tensor. Settable on leaves only (tensors not produced by
    /// a recorded op); results of recorded ops require a gradient automatically.
    /// </summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (gradFn is not null && !value)
                throw new InvalidOperationException("Cannot clear RequiresGrad on a non-leaf tensor; use Detach().");
            requiresGrad = value;
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (fluent form).</summary>
    public Tensor SetRequiresGrad(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>True when the tensor was not produced by a recorded op.</summary>
    public bool IsLeaf => gradFn is null;

    internal bool IsLeafRequiringGrad => gradFn is null && requiresGrad;

    /// <summary>Name of the op that produced this tensor, or null for a leaf.</summary>
    public string? GradFnName => gradFn?.Name;

    internal GradNode? GradFn => gradFn;

    internal void AttachNode(GradNode node)
    {
        gradFn = node;
        requiresGrad = true;
    }

    /// <summary>
    /// The accumulated gradient of a leaf (or of a non-leaf after <see cref="RetainGrad"/>), or
    /// null. The gradient belongs to this tensor: setting it (e.g. to null) releases the old one.
    /// </summary>
    public Tensor? Grad
    {
        get => grad;
        set
        {
            if (ReferenceEquals(value, grad)) return;
            if (value is not null && !Layout.SameShape(value.shape, shape))
                throw new ArgumentException($"Gradient shape {Layout.Format(value.shape)} does not match tensor shape {Layout.Format(shape)}.");
            if (value is not null && !value.contiguous)
                throw new ArgumentException("A gradient must be contiguous (call Contiguous() or Clone() first).");
            var old = grad;
            grad = value?.DetachFromScope();
            old?.Dispose();
        }
    }

    /// <summary>Keep the gradient of this non-leaf in <see cref="Grad"/> after Backward.</summary>
    public Tensor RetainGrad()
    {
        retainGrad = true;
        return this;
    }

    /// <summary>Fills the existing gradient with zeros (keeps its buffer); no-op without one.</summary>
    public void ZeroGrad()
    {
        if (grad is not null) grad.AsSpan().Clear();
    }

    /// <summary>A tensor sharing this storage, cut from the graph (no gradient flows through it).</summary>
    public Tensor Detach()
    {
        storage.AddReference();
        return new Tensor(storage, offset, shape, strides);
    }

    /// <summary>
    /// Adds <paramref name="gradient"/> to this tensor's gradient; called by backward closures.
    /// The gradient may have this tensor's shape or any shape this one broadcasts to (it is
    /// summed down), and may be any strided view. No-op when the tensor does not require a grad.
    /// The gradient's buffer is copied, never kept.
    /// </summary>
    public void AccumulateGrad(Tensor gradient)
    {
        if (!requiresGrad) return;
        using var _ = Autograd.NoGrad();
        Tensor g = gradient;
        bool reduced = false;
        if (!Layout.SameShape(gradient.shape, shape))
        {
            g = TensorKernels.SumToShape(gradient, shape);
            reduced = true;
        }
        ref Tensor? slot = ref gradFn is null ? ref grad : ref pendingGrad;
        if (slot is null)
        {
            var fresh = Allocate((int[])shape.Clone(), owned: false);
            TensorKernels.StridedCopy(g, fresh.Buffer, 0);
            slot = fresh;
        }
        else
        {
            TensorKernels.AddInto(slot, g);
        }
        if (reduced) g.Dispose();
    }

    /// <summary>
    /// For sparse backward passes (scatter-adds such as embedding or index-select): the
    /// contiguous gradient buffer this tensor accumulates into, created zeroed when absent, so a
    /// backward can add rows in place instead of building a full-size temporary. False (and an
    /// empty span) when the tensor does not require a gradient. Only add into the span.
    /// </summary>
    internal bool TryGetGradAccumulator(out Span<float> accumulator)
    {
        if (!requiresGrad)
        {
            accumulator = Span<float>.Empty;
            return false;
        }
        ref Tensor? slot = ref gradFn is null ? ref grad : ref pendingGrad;
        if (slot is null)
        {
            var fresh = Allocate((int[])shape.Clone(), owned: false);
            fresh.Buffer.AsSpan(0, numel).Clear();
            slot = fresh;
        }
        accumulator = slot.Buffer.AsSpan(slot.offset, numel);
        return true;
    }

    /// <summary>
    /// Adds <paramref name="gradient"/> into the region (offset, shape, strides, in elements of a
    /// contiguous tensor of this shape) of this tensor's gradient; the rest is left as it is (zero
    /// when the gradient is new). Used by views such as Slice, so no full-size temporary is made.
    /// </summary>
    internal void AccumulateGradRegion(Tensor gradient, int regionOffset, int[] regionShape, int[] regionStrides)
    {
        if (!requiresGrad) return;
        ref Tensor? slot = ref gradFn is null ? ref grad : ref pendingGrad;
        if (slot is null)
        {
            var fresh = Allocate((int[])shape.Clone(), owned: false);
            fresh.Buffer.AsSpan(0, numel).Clear();
            slot = fresh;
        }
        var region = new Tensor(slot.storage, slot.offset + regionOffset, regionShape, regionStrides, owned: false);
        slot.storage.AddReference();
        TensorKernels.AddIntoView(region, gradient);
        region.Dispose();
    }

    /// <summary>Adds a contiguous gradient with this tensor's number of elements.</summary>
    public void AccumulateGrad(ReadOnlySpan<float> gradient)
    {
        if (!requiresGrad) return;
        if (gradient.Length != numel) throw new ArgumentException($"Gradient has {gradient.Length} elements, tensor {Layout.Format(shape)} has {numel}.");
        ref Tensor? slot = ref gradFn is null ? ref grad : ref pendingGrad;
        if (slot is null)
        {
            var fresh = Allocate((int[])shape.Clone(), owned: false);
            gradient.CopyTo(fresh.Buffer.AsSpan(0, numel));
            slot = fresh;
        }
        else
        {
            var dst = slot.Buffer.AsSpan(0, numel);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, gradient, dst);
        }
    }

    /// <summary>
    /// Back-propagates from this tensor. Without <paramref name="gradient"/> the tensor must hold
    /// one element and is seeded with 1. Gradients of leaves accumulate across calls (zero them
    /// with <see cref="ZeroGrad"/> or set <see cref="Grad"/> to null); gradients of non-leaves are
    /// released as soon as they have been propagated, unless <see cref="RetainGrad"/> was called.
    /// The graph is kept, so Backward may run again over the same graph.
    /// </summary>
    public void Backward(Tensor? gradient = null)
    {
        if (!requiresGrad) throw new InvalidOperationException("Backward() on a tensor that does not require a gradient.");
        using var noGrad = Autograd.NoGrad();
        if (gradient is null)
        {
            if (numel != 1) throw new InvalidOperationException($"Backward() without a gradient needs a one-element tensor; shape is {Layout.Format(shape)}.");
            using var seed = Full(1f, shape);
            AccumulateGrad(seed);
        }
        else
        {
            if (!Layout.SameShape(gradient.shape, shape))
                throw new ArgumentException($"Backward gradient shape {Layout.Format(gradient.shape)} does not match {Layout.Format(shape)}.");
            AccumulateGrad(gradient);
        }

        var order = TopologicalOrder(this);
        using var temporaries = new TensorScope();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            var node = t.gradFn!;
            var g = t.pendingGrad;
            if (g is null) continue;
            t.pendingGrad = null;
            try
            {
                node.Backward(g);
            }
            finally
            {
                // The node's temporaries go back to the pool before the next node runs.
                temporaries.ReleaseOwned();
            }
            if (t.retainGrad)
            {
                if (t.grad is null) t.grad = g;
                else
                {
                    TensorKernels.AddInto(t.grad, g);
                    g.Dispose();
                }
            }
            else g.Dispose();
        }
    }

    /// <summary>
    /// Releases the graph behind this tensor: disposes this tensor (when it is not a leaf) and every
    /// non-leaf tensor it was computed from (their buffers go back to the pool once no view uses them). Leaves
    /// (parameters, inputs) are left alone. The alternative to a <see cref="TensorScope"/> for code
    /// that does not open one: <c>loss.Backward(); loss.DisposeGraph();</c>.
    /// </summary>
    public void DisposeGraph()
    {
        var order = TopologicalOrder(this);
        foreach (var t in order) t.Dispose();
    }

    /// <summary>Non-leaf tensors reachable from root through tensors requiring a gradient, in post-order (inputs first).</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        if (root.gradFn is null) return order;
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Tensor, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.gradFn!.Inputs;
            bool descended = false;
            for (int i = next; i < inputs.Length; i++)
            {
                var input = inputs[i];
                if (input.gradFn is null || !input.requiresGrad || !visited.Add(input)) continue;
                stack.Push((t, i + 1));
                stack.Push((input, 0));
                descended = true;
                break;
            }
            if (!descended) order.Add(t);
        }
        return order;
    }

    /// <summary>Turns gradient recording off on this thread: <c>using (Tensor.NoGrad()) { ... }</c>.</summary>
    public static NoGradScope NoGrad() => Autograd.NoGrad();
}
