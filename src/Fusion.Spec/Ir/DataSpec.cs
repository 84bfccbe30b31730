namespace Fusion.Spec.Ir;

/// <summary>Where the training data comes from.</summary>
public abstract record DataSpec
{
    private protected DataSpec()
    {
    }

    /// <summary>The default split fractions (train, validation, test).</summary>
    public static EquatableArray<double> DefaultSplit { get; } = EquatableArray.Create(0.8, 0.1, 0.1);

    /// <summary>Seeded synthetic data whose labels depend on interactions between modalities.</summary>
    public sealed record Synthetic(int Samples, int Latent, double Noise, int Seed, EquatableArray<double> Split) : DataSpec
    {
        public static Synthetic Default { get; } = new(2048, 8, 0.1, 0, DefaultSplit);
    }

    /// <summary>A numpy <c>.npz</c> archive; <see cref="Path"/> is relative to the spec.</summary>
    public sealed record Npz(string Path, EquatableArray<double> Split) : DataSpec;

    /// <summary>A folder of <c>&lt;modality&gt;.npy</c>, <c>&lt;target&gt;.npy</c> and optional <c>&lt;modality&gt;_lengths.npy</c>.</summary>
    public sealed record Npy(string Path) : DataSpec;

    /// <summary>A CSV file; each modality and target maps to a column or a column range.</summary>
    public sealed record Csv(string Path, EquatableArray<CsvColumn> Columns) : DataSpec;
}
