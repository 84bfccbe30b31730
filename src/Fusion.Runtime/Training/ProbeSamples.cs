namespace Fusion.Runtime.Training;

/// <summary>
/// Samples for a <see cref="LinearProbe"/>: row-major features <c>[Count, Width]</c> and one class
/// index per row in <c>[0, classes)</c>.
/// </summary>
public sealed record ProbeSamples(float[] Features, int Width, long[] Labels)
{
    /// <summary>Number of samples (rows).</summary>
    public int Count => Labels.Length;

    /// <summary>Checks that the features fill <c>[Count, Width]</c> and every label is in <c>[0, classes)</c>.</summary>
    public void Validate(int classes, string what)
    {
        if (Width <= 0) throw new ArgumentException($"The {what} features need a positive width (got {Width}).");
        if (Features.Length != (long)Count * Width)
            throw new ArgumentException($"The {what} features hold {Features.Length} values, not {Count} x {Width}.");
        for (int i = 0; i < Labels.Length; i++)
        {
            if (Labels[i] < 0 || Labels[i] >= classes)
                throw new ArgumentException($"The {what} label of sample {i} is {Labels[i]}, outside [0, {classes}).");
        }
    }

    /// <summary>The fraction of samples of the most frequent class (the accuracy of always guessing it).</summary>
    public double MajorityShare(int classes)
    {
        if (Count == 0) return double.NaN;
        var counts = new int[classes];
        foreach (long label in Labels) counts[label]++;
        return counts.Max() / (double)Count;
    }
}
