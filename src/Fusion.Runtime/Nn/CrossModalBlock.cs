namespace Fusion.Runtime.Nn;

/// <summary>
/// MulT's pre-LN cross-modal block (one layer of <c>CM_{source->target}</c>), keys as the
/// <c>cross_attention</c> spec row: <c>norm_q</c>, <c>norm_kv</c>, <c>norm_ff</c>, <c>attn.*</c>
/// (<see cref="MultiheadAttention"/>), <c>linear1 [ff, width]</c>, <c>linear2 [width, ff]</c> (ff = 4 * width by default).
/// <code>
/// x = x + dropout(attn(norm_q(x), norm_kv(s), norm_kv(s)))
/// x = x + dropout(linear2(dropout(relu(linear1(norm_ff(x))))))
/// </code>
/// Target <c>[B, L, width]</c>, source <c>[B, S, width]</c>; padded source steps (lengths or mask) are ignored as keys.
/// </summary>
public sealed class CrossModalBlock : Module
{
    private readonly RandomSource generator;

    public CrossModalBlock(int width, int heads, RandomSource generator, float dropout = 0.1f, int? feedForward = null)
    {
        if (!(dropout is >= 0f and <= 1f)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout probability must be in [0, 1].");
        this.generator = generator;
        DropoutP = dropout;
        int ff = feedForward ?? 4 * width;
        NormQ = RegisterModule("norm_q", new LayerNorm(width));
        NormKv = RegisterModule("norm_kv", new LayerNorm(width));
        NormFf = RegisterModule("norm_ff", new LayerNorm(width));
        Attention = RegisterModule("attn", new MultiheadAttention(width, heads, generator, dropout));
        Linear1 = RegisterModule("linear1", new Linear(width, ff, generator));
        Linear2 = RegisterModule("linear2", new Linear(ff, width, generator));
    }

    public float DropoutP { get; }
    public LayerNorm NormQ { get; }
    public LayerNorm NormKv { get; }
    public LayerNorm NormFf { get; }
    public MultiheadAttention Attention { get; }
    public Linear Linear1 { get; }
    public Linear Linear2 { get; }

    /// <summary>The target sequence <paramref name="target"/> <c>[B, L, width]</c> attending to <paramref name="source"/> <c>[B, S, width]</c>.</summary>
    public Tensor Forward(Tensor target, Tensor source, KeyPaddingMask? sourcePadding = null)
    {
        var kv = NormKv.Forward(source);
        var x = target + Drop(Attention.Forward(NormQ.Forward(target), kv, kv, sourcePadding, needWeights: false).Output);
        return x + Drop(Linear2.Forward(Drop(Linear1.Forward(NormFf.Forward(x)).Relu())));
    }

    private Tensor Drop(Tensor x) => Tensor.Dropout(x, DropoutP, IsTraining, generator);
}
