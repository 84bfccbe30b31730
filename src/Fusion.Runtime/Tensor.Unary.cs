using System.Numerics.Tensors;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>y = f(x) over a contiguous span.</summary>
    internal delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>dx = f'(x, y) * g over contiguous spans.</summary>
    internal delegate void SpanGrad(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx);

    /// <summary>
    /// An element-wise op: the forward map over the contiguous elements (split over cores when
    /// large) and an element-wise backward from (x, y, g). The input is made contiguous first.
    /// </summary>
    internal Tensor Map(string name, SpanMap forward, SpanGrad backward, int cost = 1)
    {
        var x = contiguous ? this : CopyContiguousUntracked();
        var result = Allocate((int[])shape.Clone());
        RunChunked(x, result, forward, cost);
        if (!Autograd.NeedsGrad(this))
        {
            if (!ReferenceEquals(x, this)) x.Dispose();
            return result;
        }
        return Autograd.Record(result, [this], g =>
        {
            var dx = Allocate((int[])shape.Clone());
            var xs = x.Buffer.AsSpan(x.offset, numel);
            var ys = result.Buffer.AsSpan(result.offset, numel);
            backward(xs, ys, g.Buffer.AsSpan(g.offset, numel), dx.Buffer.AsSpan(0, numel));
            AccumulateGrad(dx);
        }, name);
    }

    private static void RunChunked(Tensor x, Tensor result, SpanMap forward, int cost)
    {
        int n = x.numel;
        var src = x.Buffer;
        int so = x.offset;
        var dst = result.Buffer;
        const int block = 4096;
        int blocks = (n + block - 1) / block;
        int chunks = cost <= 1 ? 1 : Parallelism.Chunks(blocks, (long)n * cost);
        if (chunks <= 1)
        {
            forward(src.AsSpan(so, n), dst.AsSpan(0, n));
            return;
        }
        Parallelism.For(blocks, chunks, (b0, b1) =>
        {
            int start = b0 * block, end = Math.Min(n, b1 * block);
            forward(src.AsSpan(so + start, end - start), dst.AsSpan(start, end - start));
        });
    }

    /// <summary>A contiguous copy that is not recorded on the graph.</summary>
    internal Tensor CopyContiguousUntracked()
    {
        var copy = Allocate((int[])shape.Clone());
        TensorKernels.StridedCopy(this, copy.Buffer, 0);
        return copy;
    }

    public Tensor Exp() => Map("Exp", static (x, y) => TensorPrimitives.Exp(x, y),
        static (x, y, g, dx) => TensorPrimitives.Multiply(g, y, dx), cost: 1);

    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Map("Log", static (x, y) => TensorPrimitives.Log(x, y),
        static (x, y, g, dx) => TensorPrimitives.Divide(g, x, dx), cost: 4);

    public Tensor Sqrt() => Map("Sqrt", static (x, y) => TensorPrimitives.Sqrt(x, y),
        static (x, y, g, dx) =>
        {
            TensorPrimitives.Divide(g, y, dx);
            TensorPrimitives.Multiply(dx, 0.5f, dx);
        }, cost: 2);

    /// <summary>1 / x.</summary>
    public Tensor Reciprocal() => Map("Reciprocal", static (x, y) => TensorPrimitives.Divide(1f, x, y),
        static (x, y, g, dx) =>
        {
            // d(1/x) = -1/x^2 = -y^2
            TensorPrimitives.Multiply(y, y, dx);
            TensorPrimitives.Multiply(dx, g, dx);
            TensorPrimitives.Negate(dx, dx);
        });

    /// <summary>1 / sqrt(x).</summary>
    public Tensor Rsqrt() => Map("Rsqrt", static (x, y) =>
        {
            TensorPrimitives.Sqrt(x, y);
            TensorPrimitives.Divide(1f, y, y);
        },
        static (x, y, g, dx) =>
        {
            // d(x^-1/2) = -1/2 x^-3/2 = -0.5 y^3
            TensorPrimitives.Multiply(y, y, dx);
            TensorPrimitives.Multiply(dx, y, dx);
            TensorPrimitives.Multiply(dx, -0.5f, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        }, cost: 2);

    public Tensor Sin() => Map("Sin", static (x, y) => TensorPrimitives.Sin(x, y),
        static (x, y, g, dx) =>
        {
            TensorPrimitives.Cos(x, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        }, cost: 4);

    public Tensor Cos() => Map("Cos", static (x, y) => TensorPrimitives.Cos(x, y),
        static (x, y, g, dx) =>
        {
            TensorPrimitives.Sin(x, dx);
            TensorPrimitives.Negate(dx, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        }, cost: 4);

    /// <summary>x raised to a constant power.</summary>
    public Tensor Pow(float exponent)
    {
        if (exponent == 2f) return Square();
        return Map("Pow", (x, y) => TensorPrimitives.Pow(x, exponent, y),
            (x, y, g, dx) =>
            {
                TensorPrimitives.Pow(x, exponent - 1f, dx);
                TensorPrimitives.Multiply(dx, exponent, dx);
                TensorPrimitives.Multiply(dx, g, dx);
            }, cost: 8);
    }

    /// <summary>x * x.</summary>
    public Tensor Square() => Map("Square", static (x, y) => TensorPrimitives.Multiply(x, x, y),
        static (x, y, g, dx) =>
        {
            TensorPrimitives.Multiply(x, g, dx);
            TensorPrimitives.Multiply(dx, 2f, dx);
        });

    /// <summary>|x|; the gradient at 0 is 0.</summary>
    public Tensor Abs() => Map("Abs", static (x, y) => TensorPrimitives.Abs(x, y),
        static (x, y, g, dx) =>
        {
            for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0f;
        });

    /// <summary>Limits to [min, max]; the gradient flows where min &lt;= x &lt;= max.</summary>
    public Tensor Clamp(float min = float.NegativeInfinity, float max = float.PositiveInfinity)
    {
        if (min > max) throw new ArgumentException($"Clamp min {min} exceeds max {max}.");
        return Map("Clamp", (x, y) =>
            {
                TensorPrimitives.Max(x, min, y);
                TensorPrimitives.Min(y, max, y);
            },
            (x, y, g, dx) =>
            {
                for (int i = 0; i < x.Length; i++) dx[i] = x[i] >= min && x[i] <= max ? g[i] : 0f;
            });
    }

    /// <summary>Clamps from below.</summary>
    public Tensor ClampMin(float min) => Clamp(min, float.PositiveInfinity);

    /// <summary>Clamps from above.</summary>
    public Tensor ClampMax(float max) => Clamp(float.NegativeInfinity, max);
}
