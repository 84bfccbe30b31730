namespace Fusion.Runtime.Nn;

/// <summary>
/// A mask over (query, key) pairs shared by every batch element and head (PyTorch's 2-D
/// <c>attn_mask</c> <c>[L, S]</c>): either additive (a float added to the scaled scores; -inf
/// forbids a pair) or boolean (true forbids a pair, as PyTorch's boolean mask). The additive values
/// are constants: no gradient flows into them.
/// </summary>
public sealed class AttentionMask
{
    private readonly float[] additive;

    private AttentionMask(float[] additive, int queries, int keys)
    {
        this.additive = additive;
        Queries = queries;
        Keys = keys;
    }

    public int Queries { get; }
    public int Keys { get; }

    /// <summary>An additive float mask <c>[L, S]</c> (values copied; -inf forbids a pair).</summary>
    public static AttentionMask Additive(Tensor mask)
    {
        if (mask.Rank != 2) throw new ArgumentException($"An attention mask must be [L, S]; got rank {mask.Rank}.", nameof(mask));
        var values = mask.ToArray();
        foreach (float v in values)
            if (float.IsNaN(v) || float.IsPositiveInfinity(v)) throw new ArgumentException("An additive attention mask must not hold NaN or +inf.", nameof(mask));
        return new(values, mask.Size(0), mask.Size(1));
    }

    /// <summary>A boolean mask <c>[L, S]</c>: true forbids query l from attending to key s.</summary>
    public static AttentionMask FromBool(bool[,] forbid)
    {
        int l = forbid.GetLength(0), s = forbid.GetLength(1);
        var values = new float[l * s];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < s; j++) values[i * s + j] = forbid[i, j] ? float.NegativeInfinity : 0f;
        return new(values, l, s);
    }

    /// <summary>The causal mask <c>[n, n]</c>: query i may attend to keys 0..i only.</summary>
    public static AttentionMask Causal(int length)
    {
        var values = new float[length * length];
        for (int i = 0; i < length; i++)
            for (int j = i + 1; j < length; j++) values[i * length + j] = float.NegativeInfinity;
        return new(values, length, length);
    }

    /// <summary>The additive values, row-major <c>[L, S]</c> (-inf where forbidden).</summary>
    public ReadOnlySpan<float> Values => additive;
}
