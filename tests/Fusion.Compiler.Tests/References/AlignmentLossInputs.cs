namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Inputs for the loss checks: fixed numbers in (-1, 1) without the low-rank structure of
/// <see cref="ReferenceModel.FixedVectors"/> (whose rows all lie in a plane), so that covariance
/// matrices are well conditioned.
/// </summary>
internal static class AlignmentLossInputs
{
    public static double[][] Scattered(int batch, int width, int salt) =>
        Enumerable.Range(0, batch).Select(b => Enumerable.Range(0, width).Select(j =>
            Math.Sin(12.9898 * (b + 1) + 78.233 * (j + 1) + 37.719 * salt + 0.1 * b * j * j)).ToArray()).ToArray();

    public static double[][][] ScatteredSequences(int batch, int steps, int width, int salt) =>
        Enumerable.Range(0, batch).Select(b => Scattered(steps, width, salt * 31 + b)).ToArray();
}
