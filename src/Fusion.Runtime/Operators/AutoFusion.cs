using Fusion.Runtime.Losses;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// AutoFusion (Sahu and Vechtomova; methods.md section 3), the spec's <c>autofusion</c> op:
/// <c>z = [z_1; ...; z_M]</c> (width F, even), latent <c>z_c = ReLU(encoder2(tanh(encoder1(z))))</c>
/// (F -> F/2 -> latent, with biases), reconstruction <c>z_hat = decoder2(ReLU(decoder1(z_c)))</c>
/// (latent -> F/2 -> F, bare matrices). The reconstruction term <c>L_AF = MSE(z_hat, z)</c> is
/// <see cref="AutoFusionResult.ReconstructionLoss"/>.
/// </summary>
public sealed class AutoFusion : Module
{
    private readonly Linear encoder1;
    private readonly Linear encoder2;
    private readonly Linear decoder1;
    private readonly Linear decoder2;

    public AutoFusion(int features, int latent, RandomSource generator)
    {
        if (features < 2 || features % 2 != 0) throw new ArgumentOutOfRangeException(nameof(features), features, "AutoFusion needs an even number of features.");
        Features = features;
        int half = features / 2;
        encoder1 = RegisterModule("encoder1", new Linear(features, half, generator));
        encoder2 = RegisterModule("encoder2", new Linear(half, latent, generator));
        decoder1 = RegisterModule("decoder1", new Linear(latent, half, generator, bias: false));
        decoder2 = RegisterModule("decoder2", new Linear(half, features, generator, bias: false));
    }

    public int Features { get; }

    public AutoFusionResult Forward(IReadOnlyList<Tensor> xs)
    {
        var z = Tensor.Concat(xs, -1);
        if (z.Rank != 2 || z.Size(1) != Features)
            throw new ArgumentException($"AutoFusion expects vectors whose widths sum to {Features}; got {z.Size(-1)}.");
        var latent = encoder2.Forward(encoder1.Forward(z).Tanh()).Relu();
        var reconstruction = decoder2.Forward(decoder1.Forward(latent).Relu());
        return new AutoFusionResult(latent, z, reconstruction);
    }
}

/// <summary>AutoFusion's outputs: the latent, the concatenated features z and their reconstruction.</summary>
public sealed record AutoFusionResult(Tensor Latent, Tensor Features, Tensor Reconstruction)
{
    /// <summary><c>L_AF = MSE(z_hat, z)</c>, the mean over batch and features.</summary>
    public Tensor ReconstructionLoss() => Loss.Mse(Reconstruction, Features);
}
