namespace Fusion.Runtime.Data;

/// <summary>Settings of <see cref="SyntheticData.Generate(DataSchema, SyntheticOptions?)"/> (the spec's <c>data: { type: synthetic }</c> keys and a few more).</summary>
public sealed record SyntheticOptions
{
    /// <summary>Number of samples.</summary>
    public int Samples { get; init; } = 2048;

    /// <summary>Size of the shared latent z and of each modality's private factors.</summary>
    public int Latent { get; init; } = 8;

    /// <summary>Standard deviation of the Gaussian noise added to every feature.</summary>
    public double Noise { get; init; } = 0.1;

    public ulong Seed { get; init; }

    /// <summary>Products per modality pair in each target score (the rank of the interaction).</summary>
    public int InteractionRank { get; init; } = 2;

    /// <summary>
    /// Share of each target score's variance that is additive over the modalities
    /// (sum_m c_m · p_m), the rest being the cross-modal interaction; in [0, 1). 0 gives pure
    /// interaction targets (E[score | any one modality] = 0); the default 0.15 lets each modality
    /// predict a little and additive fusion a little more, while the interaction stays dominant.
    /// </summary>
    public double AdditiveShare { get; init; } = 0.15;

    /// <summary>Steps generated for a sequence or tokens modality whose length is open (-1).</summary>
    public int OpenLength { get; init; } = 16;

    /// <summary>
    /// When set, one more column of this name: an int64 class label of the shared latent z (the
    /// class of z's first coordinate by quantile, <see cref="SharedClasses"/> balanced classes), for
    /// a linear probe of what an alignment-only model learned. Computed without drawing from the
    /// random source, so every other column keeps its bytes.
    /// </summary>
    public string? SharedClassColumn { get; init; }

    /// <summary>Number of classes of <see cref="SharedClassColumn"/>.</summary>
    public int SharedClasses { get; init; } = 4;

    internal void Validate()
    {
        if (Samples <= 0) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Synthetic data needs at least one sample.");
        if (Latent <= 0) throw new ArgumentOutOfRangeException(nameof(Latent), Latent, "The latent size must be positive.");
        if (!(Noise >= 0)) throw new ArgumentOutOfRangeException(nameof(Noise), Noise, "The noise must be non-negative.");
        if (InteractionRank <= 0) throw new ArgumentOutOfRangeException(nameof(InteractionRank), InteractionRank, "The interaction rank must be positive.");
        if (!(AdditiveShare >= 0 && AdditiveShare < 1)) throw new ArgumentOutOfRangeException(nameof(AdditiveShare), AdditiveShare, "The additive share must be in [0, 1).");
        if (OpenLength <= 0) throw new ArgumentOutOfRangeException(nameof(OpenLength), OpenLength, "The open length must be positive.");
        if (SharedClasses < 2) throw new ArgumentOutOfRangeException(nameof(SharedClasses), SharedClasses, "The shared class label needs at least 2 classes.");
    }
}
