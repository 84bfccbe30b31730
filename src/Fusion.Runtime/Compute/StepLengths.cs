namespace Fusion.Runtime.Compute;

/// <summary>
/// Per-sample sequence lengths as the sequence ops use them: a <c>LongTensor [B]</c> where steps at
/// and after a sample's length are padding (null: every step of every sample is valid).
/// </summary>
internal static class StepLengths
{
    /// <summary>The lengths as ints, checked to be <c>[batch]</c> and within [0, steps]; all <paramref name="steps"/> when null.</summary>
    public static int[] Of(LongTensor? lengths, int batch, int steps, string op)
    {
        var result = new int[batch];
        if (lengths is null)
        {
            Array.Fill(result, steps);
            return result;
        }
        if (lengths.Rank != 1 || lengths.Size(0) != batch)
            throw new ArgumentException($"{op}: lengths must be [{batch}]; got {Layout.Format(lengths.Shape)}.");
        var span = lengths.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            if (span[b] < 0 || span[b] > steps)
                throw new ArgumentOutOfRangeException(nameof(lengths), span[b], $"{op}: the length of sample {b} is outside [0, {steps}].");
            result[b] = (int)span[b];
        }
        return result;
    }

    /// <summary>
    /// Output size of a window of <paramref name="kernel"/> moved by <paramref name="stride"/> over
    /// <paramref name="size"/> steps padded by <paramref name="padding"/> on both sides:
    /// floor((size + 2 padding - kernel) / stride) + 1, or 0 when the window does not fit.
    /// </summary>
    public static int WindowCount(int size, int kernel, int stride, int padding)
    {
        int span = size + 2 * padding - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }

    public static LongTensor ToTensor(int[] lengths)
    {
        var values = new long[lengths.Length];
        for (int i = 0; i < lengths.Length; i++) values[i] = lengths[i];
        return LongTensor.FromArray(values, lengths.Length);
    }
}
