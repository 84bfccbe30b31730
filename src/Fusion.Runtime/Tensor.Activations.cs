using System.Numerics.Tensors;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    public Tensor Relu() => Map("Relu", static (x, y) => TensorPrimitives.Max(x, 0f, y),
        static (x, y, g, dx) =>
        {
            for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : 0f;
        });

    /// <summary>x for x &gt; 0, slope * x otherwise (PyTorch default slope 0.01).</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f) => Map("LeakyRelu",
        (x, y) =>
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : negativeSlope * x[i];
        },
        (x, y, g, dx) =>
        {
            for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : negativeSlope * g[i];
        });

    /// <summary>GELU, exact form x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)) (PyTorch's default).</summary>
    public Tensor Gelu() => Map("Gelu", static (x, y) => Gaussian.Gelu(x, y),
        static (x, y, g, dx) => Gaussian.GeluBackward(x, g, dx), cost: 8);

    /// <summary>x for x &gt; 0, alpha (exp(x) - 1) otherwise.</summary>
    public Tensor Elu(float alpha = 1f) => Map("Elu",
        (x, y) =>
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : alpha * (MathF.Exp(x[i]) - 1f);
        },
        (x, y, g, dx) =>
        {
            for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : g[i] * (y[i] + alpha);
        }, cost: 4);

    public Tensor Tanh() => Map("Tanh", static (x, y) => TensorPrimitives.Tanh(x, y),
        static (x, y, g, dx) =>
        {
            TensorPrimitives.Multiply(y, y, dx);
            TensorPrimitives.Subtract(1f, dx, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        }, cost: 4);

    public Tensor Sigmoid() => Map("Sigmoid", static (x, y) => TensorPrimitives.Sigmoid(x, y),
        static (x, y, g, dx) =>
        {
            TensorPrimitives.Subtract(1f, y, dx);
            TensorPrimitives.Multiply(dx, y, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        }, cost: 4);

    /// <summary>Softmax along <paramref name="axis"/>, computed stably (max subtracted).</summary>
    public Tensor Softmax(int axis = -1) => SoftmaxCore(axis, log: false);

    /// <summary>log(softmax(x)) along <paramref name="axis"/>, computed stably as x - max - log(sum(exp(x - max))).</summary>
    public Tensor LogSoftmax(int axis = -1) => SoftmaxCore(axis, log: true);

    private Tensor SoftmaxCore(int axis, bool log)
    {
        int a = Layout.NormalizeAxis(axis, shape.Length);
        Tensor result;
        using (Autograd.NoGrad())
        {
            if (a == shape.Length - 1)
            {
                var x = contiguous ? this : CopyContiguousUntracked();
                result = Allocate((int[])shape.Clone());
                SoftmaxRows(x.Buffer, x.offset, result.Buffer, numel, shape[a], log);
                if (!ReferenceEquals(x, this)) x.Dispose();
            }
            else
            {
                using var max = Max(a, keepDim: true);
                using var shifted = this - max;
                using var e = shifted.Exp();
                using var sum = e.Sum(a, keepDim: true);
                if (log)
                {
                    using var lse = sum.Log();
                    result = shifted - lse;
                }
                else result = e / sum;
            }
        }
        return Autograd.Record(result, [this], g =>
        {
            if (a == shape.Length - 1)
            {
                // Fused per-row backward over the contiguous result and gradient.
                var dx = Allocate((int[])shape.Clone());
                SoftmaxRowsBackward(result.Buffer, g.Buffer, g.offset, dx.Buffer, numel, shape[a], log);
                AccumulateGrad(dx);
                return;
            }
            if (log)
            {
                // dx = g - softmax * sum(g)
                AccumulateGrad(g - result.Exp() * g.Sum(a, keepDim: true));
            }
            else
            {
                // dx = y * (g - sum(g * y))
                AccumulateGrad(result * (g - (g * result).Sum(a, keepDim: true)));
            }
        }, log ? "LogSoftmax" : "Softmax");
    }

    private static void SoftmaxRowsBackward(float[] y, float[] g, int gOffset, float[] dx, int n, int width, bool log)
    {
        if (width == 0) return;
        int rows = n / width;
        int chunks = Parallelism.Chunks(rows, (long)n * 4);
        Parallelism.For(rows, chunks, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var ys = y.AsSpan(r * width, width);
                var gs = g.AsSpan(gOffset + r * width, width);
                var d = dx.AsSpan(r * width, width);
                if (log)
                {
                    // dx = g - softmax * sum(g), softmax = exp(log-softmax)
                    float sum = TensorPrimitives.Sum(gs);
                    TensorPrimitives.Exp(ys, d);
                    TensorPrimitives.Multiply(d, -sum, d);
                    TensorPrimitives.Add(d, gs, d);
                }
                else
                {
                    // dx = y * (g - <g, y>)
                    float dot = TensorPrimitives.Dot(gs, ys);
                    TensorPrimitives.Subtract(gs, dot, d);
                    TensorPrimitives.Multiply(d, ys, d);
                }
            }
        });
    }

    private static void SoftmaxRows(float[] src, int srcOffset, float[] dst, int n, int width, bool log)
    {
        if (width == 0) return;
        int rows = n / width;
        int chunks = Parallelism.Chunks(rows, (long)n * 6);
        Parallelism.For(rows, chunks, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var x = src.AsSpan(srcOffset + r * width, width);
                var y = dst.AsSpan(r * width, width);
                float max = TensorPrimitives.Max(x);
                TensorPrimitives.Subtract(x, max, y);
                TensorPrimitives.Exp(y, y);
                float sum = TensorPrimitives.Sum(y);
                if (log)
                {
                    TensorPrimitives.Subtract(x, max + MathF.Log(sum), y);
                }
                else
                {
                    TensorPrimitives.Multiply(y, 1f / sum, y);
                }
            }
        });
    }
}
