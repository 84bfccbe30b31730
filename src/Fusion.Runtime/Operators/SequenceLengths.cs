namespace Fusion.Runtime.Operators;

/// <summary>Lengths of sequences that an operator combines step by step (concatenating aligned sequences on the feature axis).</summary>
public static class SequenceLengths
{
    /// <summary>
    /// The steps valid in every input: the element-wise minimum of the given lengths, where null
    /// means "every step is valid"; null when every input is null.
    /// </summary>
    public static LongTensor? Common(params LongTensor?[] lengths)
    {
        long[]? result = null;
        foreach (var l in lengths)
        {
            if (l is null) continue;
            var span = l.AsSpan();
            if (result is null)
            {
                result = span.ToArray();
                continue;
            }

            if (span.Length != result.Length) throw new ArgumentException($"Lengths of {span.Length} and {result.Length} samples cannot be combined.");
            for (int i = 0; i < result.Length; i++) result[i] = Math.Min(result[i], span[i]);
        }

        return result is null ? null : LongTensor.FromArray(result, result.Length);
    }
}
