using System.Text.Json;

namespace Fusion.Runtime.Tests;

/// <summary>Seeded test values and element-wise comparisons shared by the convolution, pooling and recurrent tests.</summary>
internal static class SequenceOpsAssert
{
    public static float[] Values(ulong seed, int n, float scale = 1f)
    {
        var v = new float[n];
        new RandomSource(seed).FillNormal(v, 0f, scale);
        return v;
    }

    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i]),
                $"{what}[{i}]: got {actual[i]:G9}, expected {expected[i]:G9}");
    }

    public static void Close(JsonElement expected, Tensor actual, double atol, double rtol, string what) =>
        Close(Floats(expected), actual.ToArray(), atol, rtol, what);
}
