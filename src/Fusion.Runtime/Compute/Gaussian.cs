using System.Runtime.Intrinsics;

namespace Fusion.Runtime.Compute;

/// <summary>
/// The standard normal CDF Phi(x) = 0.5 erfc(-x / sqrt 2), for the exact (erf) GELU. erfc uses
/// the Chebyshev fit of Numerical Recipes (erfcc), whose relative error is below 1.2e-7 for all
/// arguments, so Phi keeps its relative accuracy in the far left tail where x * Phi(x) is tiny.
/// </summary>
internal static class Gaussian
{
    private const float InvSqrt2 = 0.70710678118654752f;
    private const float InvSqrt2Pi = 0.39894228040143268f;

    /// <summary>erfc(z) for z &gt;= 0.</summary>
    private static float ErfcPositive(float z)
    {
        float t = 1f / (1f + 0.5f * z);
        float p = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
            + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
        return t * MathF.Exp(-z * z + p);
    }

    public static float Cdf(float x)
    {
        float z = MathF.Abs(x) * InvSqrt2;
        float tail = 0.5f * ErfcPositive(z);
        return x < 0 ? tail : 1f - tail;
    }

    public static float Pdf(float x) => InvSqrt2Pi * MathF.Exp(-0.5f * x * x);

    private static Vector512<float> CdfVector(Vector512<float> x)
    {
        var z = Vector512.Abs(x) * InvSqrt2;
        var one = Vector512<float>.One;
        var t = one / (one + 0.5f * z);
        var p = Vector512.Create(0.17087277f);
        p = p * t + Vector512.Create(-0.82215223f);
        p = p * t + Vector512.Create(1.48851587f);
        p = p * t + Vector512.Create(-1.13520398f);
        p = p * t + Vector512.Create(0.27886807f);
        p = p * t + Vector512.Create(-0.18628806f);
        p = p * t + Vector512.Create(0.09678418f);
        p = p * t + Vector512.Create(0.37409196f);
        p = p * t + Vector512.Create(1.00002368f);
        p = p * t + Vector512.Create(-1.26551223f);
        var tail = 0.5f * t * Vector512.Exp(p - z * z);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), tail, one - tail);
    }

    /// <summary>y = x * Phi(x).</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= x.Length; i += 16)
            {
                var v = Vector512.Create(x.Slice(i, 16));
                (v * CdfVector(v)).CopyTo(y.Slice(i, 16));
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] * Cdf(x[i]);
    }

    /// <summary>dx = g * (Phi(x) + x * phi(x)).</summary>
    public static void GeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dx)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= x.Length; i += 16)
            {
                var v = Vector512.Create(x.Slice(i, 16));
                var pdf = InvSqrt2Pi * Vector512.Exp(-0.5f * v * v);
                var d = CdfVector(v) + v * pdf;
                (Vector512.Create(g.Slice(i, 16)) * d).CopyTo(dx.Slice(i, 16));
            }
        }
        for (; i < x.Length; i++) dx[i] = g[i] * (Cdf(x[i]) + x[i] * Pdf(x[i]));
    }
}
