using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// GAN-Fusion's generator and discriminator shape (methods.md section 3):
/// <c>Linear(in, H) -> BatchNorm1d(H) -> LeakyReLU(0.2) -> Linear(H, H) -> BatchNorm1d(H) -> LeakyReLU(0.2) -> Linear(H, out)</c>.
/// State-dict keys as an <c>mlp</c> with batch norm: <c>layers.0..2.weight/.bias</c>, then
/// <c>norms.0/1.weight/.bias</c> (buffers <c>norms.i.running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>).
/// </summary>
public sealed class AdversarialNetwork : Module<Tensor, Tensor>
{
    /// <summary>The negative slope of the LeakyReLU between the layers.</summary>
    public const float NegativeSlope = 0.2f;

    private readonly ModuleList<Linear> layers;
    private readonly ModuleList<BatchNorm1d> norms;

    public AdversarialNetwork(int inFeatures, int hidden, int outFeatures, RandomSource generator)
    {
        layers = RegisterModule("layers", new ModuleList<Linear>());
        layers.Append(new Linear(inFeatures, hidden, generator));
        layers.Append(new Linear(hidden, hidden, generator));
        layers.Append(new Linear(hidden, outFeatures, generator));
        norms = RegisterModule("norms", new ModuleList<BatchNorm1d>());
        norms.Append(new BatchNorm1d(hidden));
        norms.Append(new BatchNorm1d(hidden));
    }

    public IReadOnlyList<Linear> Layers => layers;

    public IReadOnlyList<BatchNorm1d> Norms => norms;

    /// <summary><paramref name="input"/> <c>[B, in]</c> to <c>[B, out]</c>.</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = norms[0].Forward(layers[0].Forward(input)).LeakyRelu(NegativeSlope);
        x = norms[1].Forward(layers[1].Forward(x)).LeakyRelu(NegativeSlope);
        return layers[2].Forward(x);
    }
}
