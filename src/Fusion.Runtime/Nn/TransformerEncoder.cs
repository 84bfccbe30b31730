namespace Fusion.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.TransformerEncoder</c> without a final norm: a stack of
/// <see cref="TransformerEncoderLayer"/>s, keys <c>layers.i.*</c>, each applied with the same key
/// padding (lengths or mask) and attention mask. Unlike PyTorch, which deep-copies one layer (so
/// every layer starts with the same weights), each layer here draws its own initial weights.
/// Padded positions' outputs are left as computed; they never influence valid positions.
/// </summary>
public sealed class TransformerEncoder : Module<Tensor, Tensor>
{
    public TransformerEncoder(int layers, int dModel, int heads, RandomSource generator, int feedForward = 2048, float dropout = 0.1f,
        Activation activation = Activation.Relu, bool normFirst = false, float layerNormEps = 1e-5f)
    {
        if (layers <= 0) throw new ArgumentOutOfRangeException(nameof(layers), layers, "A transformer encoder needs at least one layer.");
        Layers = RegisterModule("layers", new ModuleList<TransformerEncoderLayer>());
        for (int i = 0; i < layers; i++)
            Layers.Append(new TransformerEncoderLayer(dModel, heads, generator, feedForward, dropout, activation, normFirst, layerNormEps));
    }

    public ModuleList<TransformerEncoderLayer> Layers { get; }

    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>Every layer over <paramref name="x"/> <c>[B, N, d]</c> in turn.</summary>
    public Tensor Forward(Tensor x, KeyPaddingMask? keyPadding, AttentionMask? mask = null)
    {
        foreach (var layer in Layers) x = layer.Forward(x, keyPadding, mask);
        return x;
    }
}
