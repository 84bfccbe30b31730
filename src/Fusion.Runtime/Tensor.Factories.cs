using Fusion.Runtime.Compute;
using Fusion.Runtime.Memory;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>An uninitialised tensor (pooled buffer); fill it through <see cref="AsSpan"/>.</summary>
    public static Tensor Empty(params ReadOnlySpan<int> shape) => Allocate(shape.ToArray());

    public static Tensor Zeros(params ReadOnlySpan<int> shape)
    {
        var t = Allocate(shape.ToArray());
        t.AsSpan().Clear();
        return t;
    }

    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(1f, shape);

    public static Tensor Full(float value, params ReadOnlySpan<int> shape)
    {
        var t = Allocate(shape.ToArray());
        t.AsSpan().Fill(value);
        return t;
    }

    /// <summary>A zero-dimensional tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => Full(value, ReadOnlySpan<int>.Empty);

    public static Tensor ZerosLike(Tensor t) => Zeros(t.shape);
    public static Tensor OnesLike(Tensor t) => Ones(t.shape);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (1-D when no shape is given).</summary>
    public static Tensor FromArray(float[] data, params ReadOnlySpan<int> shape)
    {
        int[] s = shape.Length == 0 ? [data.Length] : shape.ToArray();
        int n = Layout.Numel(s);
        if (n != data.Length) throw new ArgumentException($"{data.Length} values do not fill shape {Layout.Format(s)} ({n} elements).");
        var t = Allocate(s);
        data.AsSpan().CopyTo(t.AsSpan());
        return t;
    }

    /// <summary>A 2-D tensor from a rectangular array.</summary>
    public static Tensor FromArray(float[,] data)
    {
        int rows = data.GetLength(0), cols = data.GetLength(1);
        var t = Allocate([rows, cols]);
        var span = t.AsSpan();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                span[i * cols + j] = data[i, j];
        return t;
    }

    /// <summary>Wraps <paramref name="data"/> without copying; the pool never takes the array.</summary>
    internal static Tensor Wrap(float[] data, params ReadOnlySpan<int> shape)
    {
        int[] s = shape.Length == 0 ? [data.Length] : shape.ToArray();
        if (Layout.Numel(s) != data.Length) throw new ArgumentException($"{data.Length} values do not fill shape {Layout.Format(s)}.");
        return new Tensor(TensorStorage.Wrap(data), 0, s, Layout.ContiguousStrides(s));
    }

    /// <summary>start, start + step, ... up to (excluding) end; 1-D.</summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0f) throw new ArgumentException("Arange step must not be zero.", nameof(step));
        int n = (int)Math.Max(0, Math.Ceiling((end - start) / (double)step));
        var t = Allocate([n]);
        var span = t.AsSpan();
        for (int i = 0; i < n; i++) span[i] = (float)(start + i * (double)step);
        return t;
    }

    /// <summary>0, 1, ..., end - 1.</summary>
    public static Tensor Arange(int end) => Arange(0f, end);

    /// <summary>Uniform in [0, 1).</summary>
    public static Tensor Rand(RandomSource generator, params ReadOnlySpan<int> shape) => Uniform(generator, 0f, 1f, shape);

    /// <summary>Uniform in [low, high).</summary>
    public static Tensor Uniform(RandomSource generator, float low, float high, params ReadOnlySpan<int> shape)
    {
        var t = Allocate(shape.ToArray());
        generator.FillUniform(t.AsSpan(), low, high);
        return t;
    }

    /// <summary>Standard normal.</summary>
    public static Tensor Randn(RandomSource generator, params ReadOnlySpan<int> shape) => Normal(generator, 0f, 1f, shape);

    public static Tensor Normal(RandomSource generator, float mean, float std, params ReadOnlySpan<int> shape)
    {
        var t = Allocate(shape.ToArray());
        generator.FillNormal(t.AsSpan(), mean, std);
        return t;
    }

    /// <summary>1 with probability <paramref name="p"/>, else 0.</summary>
    public static Tensor Bernoulli(RandomSource generator, double p, params ReadOnlySpan<int> shape)
    {
        var t = Allocate(shape.ToArray());
        generator.FillBernoulli(t.AsSpan(), p);
        return t;
    }

    /// <summary>The n x n identity matrix.</summary>
    public static Tensor Eye(int n)
    {
        var t = Zeros(n, n);
        var span = t.AsSpan();
        for (int i = 0; i < n; i++) span[i * n + i] = 1f;
        return t;
    }
}
