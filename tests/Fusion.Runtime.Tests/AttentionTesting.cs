using System.Text.Json;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Tests;

/// <summary>Shared by the attention and transformer tests: non-trivial weights, state dicts as JSON, comparisons.</summary>
internal static class AttentionTesting
{
    /// <summary>Every parameter drawn afresh (seeded): N(0, 0.4), LayerNorm weights N(1, 0.2), so no bias is zero and no norm is the identity.</summary>
    public static T Randomize<T>(T module, ulong seed) where T : Module
    {
        var rng = new RandomSource(seed);
        using var _ = Tensor.NoGrad();
        foreach (var (name, p) in module.NamedParameters())
        {
            var parts = name.Split('.');
            bool normWeight = parts.Length >= 2 && parts[^2].StartsWith("norm", StringComparison.Ordinal) && parts[^1] == "weight";
            rng.FillNormal(p.AsSpan(), normWeight ? 1f : 0f, normWeight ? 0.2f : 0.4f);
        }
        return module;
    }

    /// <summary>The state dict as name -> flat values, for a torch script to load (strictly, so the names must be PyTorch's).</summary>
    public static Dictionary<string, float[]> StateJson(Module module) =>
        module.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    public static float[] Values(ulong seed, int n, float scale = 1f)
    {
        var v = new float[n];
        new RandomSource(seed).FillNormal(v, 0f, scale);
        return v;
    }

    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    /// <summary>|expected - actual| &lt;= atol + rtol |expected| element-wise.</summary>
    public static void Same(float[] expected, float[] actual, string what, double atol, double rtol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.False(float.IsNaN(actual[i]), $"{what}[{i}] is NaN");
            Assert.True(Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i]),
                $"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9}");
        }
    }

    /// <summary>Every parameter gradient of <paramref name="module"/> against the torch script's <c>name -> gradient</c> object.</summary>
    public static void SameGradients(JsonElement torchGrads, Module module, string what, double atol, double rtol)
    {
        foreach (var (name, p) in module.NamedParameters())
        {
            Assert.True(torchGrads.TryGetProperty(name, out var g), $"{what}: torch has no parameter '{name}'");
            Assert.NotNull(p.Grad);
            Same(Floats(g), p.Grad!.ToArray(), $"{what} d{name}", atol, rtol);
        }
        Assert.Equal(module.NamedParameters().Count(), torchGrads.EnumerateObject().Count());
    }

    /// <summary>Lengths as a boolean padding mask [B, S] (true = ignore), the same thing spelled the other way.</summary>
    public static bool[,] PaddingFromLengths(int[] lengths, int keys)
    {
        var mask = new bool[lengths.Length, keys];
        for (int b = 0; b < lengths.Length; b++)
            for (int s = lengths[b]; s < keys; s++) mask[b, s] = true;
        return mask;
    }
}
