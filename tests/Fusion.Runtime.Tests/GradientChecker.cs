using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Tests;

/// <summary>
/// Compares autograd gradients with central finite differences. The scalar probed is
/// L = sum(f(x) * w) with fixed random weights w (so every output element matters with a
/// different weight), accumulated in double. Inputs must be contiguous leaves.
/// </summary>
internal static class GradientChecker
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float eps = 1e-3f, double rtol = 1e-2, double atol = 2e-3)
    {
        foreach (var x in inputs)
        {
            x.RequiresGrad = true;
            x.Grad = null;
        }
        var y = f(inputs);
        Assert.True(y.RequiresGrad, "the op under test did not record itself on the graph");
        var rng = new RandomSource(12345);
        var w = Tensor.Uniform(rng, 0.5f, 1.5f, y.Shape);
        var weights = w.ToArray();
        (y * w).Sum().Backward();

        for (int i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            Assert.NotNull(x.Grad);
            var analytic = x.Grad!.ToArray();
            var span = x.AsSpan();
            for (int j = 0; j < span.Length; j++)
            {
                float saved = span[j];
                span[j] = saved + eps;
                double plus = Probe(f, inputs, weights);
                span[j] = saved - eps;
                double minus = Probe(f, inputs, weights);
                span[j] = saved;
                double numeric = (plus - minus) / (2.0 * eps);
                double tolerance = atol + rtol * Math.Max(Math.Abs(numeric), Math.Abs(analytic[j]));
                Assert.True(Math.Abs(numeric - analytic[j]) <= tolerance,
                    $"input {i} element {j}: autograd {analytic[j]:G6}, finite difference {numeric:G6}");
            }
        }
    }

    /// <summary>Convenience: inputs from shapes, filled with normal values (seeded).</summary>
    public static void Check(Func<Tensor[], Tensor> f, params int[][] shapes) => Check(f, Inputs(7, shapes));

    public static Tensor[] Inputs(ulong seed, params int[][] shapes)
    {
        var rng = new RandomSource(seed);
        return shapes.Select(s => Tensor.Randn(rng, s)).ToArray();
    }

    /// <summary>The inputs followed by every parameter of <paramref name="module"/>: checks the gradients of both.</summary>
    public static Tensor[] WithParameters(Tensor[] inputs, Module module) => [.. inputs, .. module.Parameters()];

    private static double Probe(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] weights)
    {
        using var _ = Tensor.NoGrad();
        var y = f(inputs).ToArray();
        double sum = 0;
        for (int k = 0; k < y.Length; k++) sum += (double)y[k] * weights[k];
        return sum;
    }
}
