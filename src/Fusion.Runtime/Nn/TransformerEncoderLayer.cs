namespace Fusion.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
/// batch_first=True, norm_first)</c>, keys <c>self_attn.*</c>, <c>linear1.*</c>, <c>linear2.*</c>,
/// <c>norm1.*</c>, <c>norm2.*</c>. Post-norm (default): <c>x = norm1(x + SA(x)); x = norm2(x + FF(x))</c>;
/// with <c>normFirst</c>: <c>x = x + SA(norm1(x)); x = x + FF(norm2(x))</c>, where
/// <c>SA = dropout(self_attn(x, x, x))</c> and <c>FF = dropout(linear2(dropout(act(linear1(x)))))</c>.
/// Input <c>[B, N, d]</c>. Padded positions (by <c>keyPadding</c>) are computed like any other but,
/// being ignored as keys, never influence a valid position.
/// </summary>
public sealed class TransformerEncoderLayer : Module<Tensor, Tensor>
{
    private readonly RandomSource generator;

    public TransformerEncoderLayer(int dModel, int heads, RandomSource generator, int feedForward = 2048, float dropout = 0.1f,
        Activation activation = Activation.Relu, bool normFirst = false, float layerNormEps = 1e-5f)
    {
        if (!(dropout is >= 0f and <= 1f)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout probability must be in [0, 1].");
        this.generator = generator;
        DropoutP = dropout;
        ActivationKind = activation;
        NormFirst = normFirst;
        SelfAttention = RegisterModule("self_attn", new MultiheadAttention(dModel, heads, generator, dropout));
        Linear1 = RegisterModule("linear1", new Linear(dModel, feedForward, generator));
        Linear2 = RegisterModule("linear2", new Linear(feedForward, dModel, generator));
        Norm1 = RegisterModule("norm1", new LayerNorm(dModel, layerNormEps));
        Norm2 = RegisterModule("norm2", new LayerNorm(dModel, layerNormEps));
    }

    public float DropoutP { get; }
    public Activation ActivationKind { get; }
    public bool NormFirst { get; }
    public MultiheadAttention SelfAttention { get; }
    public Linear Linear1 { get; }
    public Linear Linear2 { get; }
    public LayerNorm Norm1 { get; }
    public LayerNorm Norm2 { get; }

    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>One layer over <paramref name="x"/> <c>[B, N, d]</c>; <paramref name="keyPadding"/> (lengths or mask) and <paramref name="mask"/> <c>[N, N]</c> as in <see cref="MultiheadAttention"/>.</summary>
    public Tensor Forward(Tensor x, KeyPaddingMask? keyPadding, AttentionMask? mask = null)
    {
        if (NormFirst)
        {
            x = x + SelfAttentionBlock(Norm1.Forward(x), keyPadding, mask);
            return x + FeedForwardBlock(Norm2.Forward(x));
        }
        x = Norm1.Forward(x + SelfAttentionBlock(x, keyPadding, mask));
        return Norm2.Forward(x + FeedForwardBlock(x));
    }

    private Tensor SelfAttentionBlock(Tensor x, KeyPaddingMask? keyPadding, AttentionMask? mask) =>
        Drop(SelfAttention.Forward(x, x, x, keyPadding, mask, needWeights: false).Output);

    private Tensor FeedForwardBlock(Tensor x) =>
        Drop(Linear2.Forward(Drop(ActivationKind.Apply(Linear1.Forward(x)))));

    private Tensor Drop(Tensor x) => Tensor.Dropout(x, DropoutP, IsTraining, generator);
}
