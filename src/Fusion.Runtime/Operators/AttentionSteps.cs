using Fusion.Runtime.Compute;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// The inputs of the attention fusion operators as step sequences: a vector <c>[B, d]</c> is one step
/// <c>[B, 1, d]</c>, a sequence <c>[B, N, d]</c> stays as it is; lengths (null: every step valid) become key padding.
/// </summary>
internal static class AttentionSteps
{
    /// <summary><paramref name="x"/> as <c>[B, N, width]</c>, checking the width and the batch size.</summary>
    public static Tensor AsSequence(string op, InputWidth input, Tensor x, int batch)
    {
        var steps = x.Rank switch
        {
            2 => x.Unsqueeze(1),
            3 => x,
            _ => throw new ArgumentException($"{op}: input '{input.Name}' must be a vector [B, {input.Width}] or a sequence [B, N, {input.Width}]; got {Layout.Format(x.Shape)}."),
        };
        if (steps.Size(0) != batch || steps.Size(2) != input.Width)
            throw new ArgumentException($"{op}: input '{input.Name}' must be [{batch}, {input.Width}] or [{batch}, N, {input.Width}]; got {Layout.Format(x.Shape)}.");
        return steps;
    }

    /// <summary>The lengths of input <paramref name="index"/> (null when none are given or the input has none).</summary>
    public static LongTensor? LengthsOf(IReadOnlyList<LongTensor?>? lengths, int index, int inputs, string op)
    {
        if (lengths is null) return null;
        if (lengths.Count != inputs) throw new ArgumentException($"{op}: {lengths.Count} lengths for {inputs} inputs.");
        return lengths[index];
    }

    /// <summary>Key padding from lengths; null when every step is valid.</summary>
    public static KeyPaddingMask? Padding(LongTensor? lengths) => lengths is null ? null : KeyPaddingMask.FromLengths(lengths);
}
