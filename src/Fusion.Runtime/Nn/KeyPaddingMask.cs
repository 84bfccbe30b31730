namespace Fusion.Runtime.Nn;

/// <summary>
/// Which keys of each batch element attention must ignore (PyTorch's <c>key_padding_mask</c>,
/// true = ignore), given either as key lengths (<see cref="LongTensor"/> <c>[B]</c>: keys at
/// positions &gt;= length are padding) or as an explicit boolean mask <c>[B, S]</c>. Lengths are
/// resolved against the key length S when attention runs. A key that is ignored receives weight 0
/// and so can never influence any output; a query whose every key is ignored gets all-zero weights
/// (see <see cref="ScaledDotProductAttention"/>).
/// </summary>
public sealed class KeyPaddingMask
{
    private readonly long[]? lengths;
    private readonly bool[]? ignored;
    private readonly int keyLength;
    private Resolved? resolved;   // replaced whole (one reference write), so safe to share across threads

    private KeyPaddingMask(long[]? lengths, bool[]? ignored, int keyLength)
    {
        this.lengths = lengths;
        this.ignored = ignored;
        this.keyLength = keyLength;
    }

    /// <summary>Batch size B the mask describes.</summary>
    public int Batch => lengths?.Length ?? ignored!.Length / Math.Max(keyLength, 1);

    /// <summary>Keys [0, lengths[b]) of batch element b are valid, the rest padding. Lengths must be in [0, S] when applied.</summary>
    public static KeyPaddingMask FromLengths(LongTensor lengths)
    {
        if (lengths.Rank != 1) throw new ArgumentException($"Key lengths must be a [B] tensor; got rank {lengths.Rank}.", nameof(lengths));
        var values = lengths.ToArray();
        foreach (long l in values)
            if (l < 0) throw new ArgumentOutOfRangeException(nameof(lengths), l, "Key lengths must not be negative.");
        return new(values, null, 0);
    }

    /// <summary>An explicit mask <c>[B, S]</c>: true marks a key to ignore (PyTorch's boolean <c>key_padding_mask</c>).</summary>
    public static KeyPaddingMask FromBool(bool[,] ignore)
    {
        int b = ignore.GetLength(0), s = ignore.GetLength(1);
        var flat = new bool[b * s];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < s; j++) flat[i * s + j] = ignore[i, j];
        return new(null, flat, s);
    }

    /// <summary>A float mask <c>[B, S]</c> (for instance from <c>Tensor.Eq</c>): non-zero marks a key to ignore.</summary>
    public static KeyPaddingMask FromTensor(Tensor ignore)
    {
        if (ignore.Rank != 2) throw new ArgumentException($"A key padding mask must be [B, S]; got rank {ignore.Rank}.", nameof(ignore));
        var values = ignore.ToArray();
        var flat = new bool[values.Length];
        for (int i = 0; i < values.Length; i++) flat[i] = values[i] != 0f;
        return new(null, flat, ignore.Size(1));
    }

    public static implicit operator KeyPaddingMask(LongTensor lengths) => FromLengths(lengths);

    public static implicit operator KeyPaddingMask(bool[,] ignore) => FromBool(ignore);

    /// <summary>
    /// The mask as <c>[B * S]</c> flags (true = ignore) for a batch of <paramref name="batch"/> and
    /// <paramref name="keys"/> keys. The array is shared (kept for the next call with the same sizes, as
    /// every layer of an encoder asks again): do not modify it.
    /// </summary>
    internal bool[] Resolve(int batch, int keys)
    {
        if (resolved is { } r && r.Batch == batch && r.Keys == keys) return r.Flags;
        var flags = ResolveNew(batch, keys);
        resolved = new Resolved(batch, keys, flags);
        return flags;
    }

    private sealed record Resolved(int Batch, int Keys, bool[] Flags);

    private bool[] ResolveNew(int batch, int keys)
    {
        if (lengths is not null)
        {
            if (lengths.Length != batch)
                throw new ArgumentException($"Key lengths give {lengths.Length} batch elements; the keys have {batch}.");
            var flags = new bool[batch * keys];
            for (int b = 0; b < batch; b++)
            {
                if (lengths[b] > keys) throw new ArgumentOutOfRangeException(nameof(lengths), lengths[b], $"Key length exceeds the {keys} keys given.");
                for (int s = (int)lengths[b]; s < keys; s++) flags[b * keys + s] = true;
            }
            return flags;
        }
        if (keyLength != keys || ignored!.Length != batch * keys)
            throw new ArgumentException($"Key padding mask [{Batch}, {keyLength}] does not match keys [{batch}, {keys}].");
        return ignored;
    }
}
