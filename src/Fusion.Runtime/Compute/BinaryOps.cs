using System.Numerics.Tensors;

namespace Fusion.Runtime.Compute;

/// <summary>An element-wise binary operator with span fast paths (for the broadcast kernel).</summary>
internal interface IBinaryOp
{
    static abstract float Apply(float a, float b);
    static abstract void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d);
    static abstract void Run(ReadOnlySpan<float> a, float b, Span<float> d);
    static abstract void Run(float a, ReadOnlySpan<float> b, Span<float> d);
}

internal readonly struct AddOp : IBinaryOp
{
    public static float Apply(float a, float b) => a + b;
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Add(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(b, a, d);
}

internal readonly struct SubOp : IBinaryOp
{
    public static float Apply(float a, float b) => a - b;
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
}

internal readonly struct MulOp : IBinaryOp
{
    public static float Apply(float a, float b) => a * b;
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(b, a, d);
}

internal readonly struct DivOp : IBinaryOp
{
    public static float Apply(float a, float b) => a / b;
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
}

internal readonly struct MaximumOp : IBinaryOp
{
    public static float Apply(float a, float b) => MathF.Max(a, b);
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Max(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Max(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Max(b, a, d);
}

internal readonly struct MinimumOp : IBinaryOp
{
    public static float Apply(float a, float b) => MathF.Min(a, b);
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Min(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Min(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Min(b, a, d);
}

/// <summary>Comparison operators producing 1 where the relation holds, else 0.</summary>
internal abstract class ComparisonOp
{
    public static void Loop<T>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) where T : IBinaryOp
    {
        for (int i = 0; i < d.Length; i++) d[i] = T.Apply(a[i], b[i]);
    }

    public static void Loop<T>(ReadOnlySpan<float> a, float b, Span<float> d) where T : IBinaryOp
    {
        for (int i = 0; i < d.Length; i++) d[i] = T.Apply(a[i], b);
    }

    public static void Loop<T>(float a, ReadOnlySpan<float> b, Span<float> d) where T : IBinaryOp
    {
        for (int i = 0; i < d.Length; i++) d[i] = T.Apply(a, b[i]);
    }
}

internal readonly struct EqOp : IBinaryOp
{
    public static float Apply(float a, float b) => a == b ? 1f : 0f;
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<EqOp>(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => ComparisonOp.Loop<EqOp>(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<EqOp>(a, b, d);
}

internal readonly struct GtOp : IBinaryOp
{
    public static float Apply(float a, float b) => a > b ? 1f : 0f;
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<GtOp>(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => ComparisonOp.Loop<GtOp>(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<GtOp>(a, b, d);
}

internal readonly struct GeOp : IBinaryOp
{
    public static float Apply(float a, float b) => a >= b ? 1f : 0f;
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<GeOp>(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => ComparisonOp.Loop<GeOp>(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<GeOp>(a, b, d);
}

internal readonly struct LtOp : IBinaryOp
{
    public static float Apply(float a, float b) => a < b ? 1f : 0f;
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<LtOp>(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => ComparisonOp.Loop<LtOp>(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<LtOp>(a, b, d);
}

internal readonly struct LeOp : IBinaryOp
{
    public static float Apply(float a, float b) => a <= b ? 1f : 0f;
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<LeOp>(a, b, d);
    public static void Run(ReadOnlySpan<float> a, float b, Span<float> d) => ComparisonOp.Loop<LeOp>(a, b, d);
    public static void Run(float a, ReadOnlySpan<float> b, Span<float> d) => ComparisonOp.Loop<LeOp>(a, b, d);
}
