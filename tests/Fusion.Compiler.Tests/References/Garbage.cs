namespace Fusion.Compiler.Tests.References;

/// <summary>Inputs for the padding-invariance checks: the same sequences with large values in every step beyond the lengths.</summary>
internal static class Garbage
{
    /// <summary>A copy of <paramref name="samples"/> <c>[B][N][d]</c> whose steps at and after <c>lengths[b]</c> hold values in [40, 90).</summary>
    public static double[][][] Beyond(double[][][] samples, int[] lengths) =>
        samples.Select((steps, b) => steps.Select((row, t) => t < lengths[b]
            ? row.ToArray()
            : row.Select((_, j) => 40.0 + ((7 * t + 3 * j + 11 * b) % 50)).ToArray()).ToArray()).ToArray();
}
