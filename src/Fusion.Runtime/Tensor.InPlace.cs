using System.Numerics.Tensors;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

/// <summary>
/// In-place updates for optimisers, initialisers and running statistics. They are never
/// recorded: they refuse a tensor on the graph while recording is on (use them under NoGrad on
/// parameters, or on tensors that do not require a gradient).
/// </summary>
public sealed partial class Tensor
{
    private Span<float> MutableSpan(string op)
    {
        if (requiresGrad && Autograd.IsGradEnabled)
            throw new InvalidOperationException($"{op} on a tensor that requires a gradient while recording; wrap it in Tensor.NoGrad().");
        return AsSpan();
    }

    public Tensor FillInPlace(float value)
    {
        MutableSpan(nameof(FillInPlace)).Fill(value);
        return this;
    }

    public Tensor ZeroInPlace()
    {
        MutableSpan(nameof(ZeroInPlace)).Clear();
        return this;
    }

    /// <summary>Copies the values of <paramref name="source"/> (same shape, or broadcastable to this shape).</summary>
    public Tensor CopyFrom(Tensor source)
    {
        var span = MutableSpan(nameof(CopyFrom));
        if (source.contiguous && Layout.SameShape(source.shape, shape))
        {
            source.Buffer.AsSpan(source.offset, numel).CopyTo(span);
            return this;
        }
        var st = new int[shape.Length];
        Layout.BroadcastStrides(source.shape, source.strides, shape, st);
        var view = new Tensor(source.storage, source.offset, (int[])shape.Clone(), st, owned: false);
        source.storage.AddReference();
        TensorKernels.StridedCopy(view, Buffer, offset);
        view.Dispose();
        return this;
    }

    /// <summary>this += alpha * other (other broadcasts to this shape).</summary>
    public Tensor AddInPlace(Tensor other, float alpha = 1f)
    {
        var span = MutableSpan(nameof(AddInPlace));
        if (other.contiguous && Layout.SameShape(other.shape, shape))
        {
            var o = other.Buffer.AsSpan(other.offset, numel);
            if (alpha == 1f) TensorPrimitives.Add(span, o, span);
            else TensorPrimitives.MultiplyAdd(o, alpha, span, span);
            return this;
        }
        using var scaled = alpha == 1f ? other.Detach() : other.Detach() * alpha;
        TensorKernels.AddInto(this, scaled);
        return this;
    }

    /// <summary>this *= factor.</summary>
    public Tensor MulInPlace(float factor)
    {
        var span = MutableSpan(nameof(MulInPlace));
        TensorPrimitives.Multiply(span, factor, span);
        return this;
    }

    /// <summary>this *= other element-wise (other broadcasts to this shape).</summary>
    public Tensor MulInPlace(Tensor other)
    {
        MutableSpan(nameof(MulInPlace));
        TensorKernels.BinaryInto<MulOp>(this, other, this);
        return this;
    }
}
