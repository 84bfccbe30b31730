namespace Fusion.Runtime.Nn;

/// <summary>
/// MulT's crossmodal transformer <c>CM_{source->target}</c>: a stack of <see cref="CrossModalBlock"/>s,
/// keys <c>layers.i.*</c>. Every layer lets the running target sequence attend to the same source
/// sequence (with the same key padding); the source itself is not updated. No positional encoding
/// and no final LayerNorm (the <c>cross_attention</c> state dict has none).
/// </summary>
public sealed class CrossModalEncoder : Module
{
    public CrossModalEncoder(int layers, int width, int heads, RandomSource generator, float dropout = 0.1f, int? feedForward = null)
    {
        if (layers <= 0) throw new ArgumentOutOfRangeException(nameof(layers), layers, "A crossmodal encoder needs at least one layer.");
        Layers = RegisterModule("layers", new ModuleList<CrossModalBlock>());
        for (int i = 0; i < layers; i++)
            Layers.Append(new CrossModalBlock(width, heads, generator, dropout, feedForward));
    }

    public ModuleList<CrossModalBlock> Layers { get; }

    /// <summary>The target <c>[B, L, width]</c> through every layer, each attending to <paramref name="source"/> <c>[B, S, width]</c>.</summary>
    public Tensor Forward(Tensor target, Tensor source, KeyPaddingMask? sourcePadding = null)
    {
        foreach (var layer in Layers) target = layer.Forward(target, source, sourcePadding);
        return target;
    }
}
