namespace Fusion.Runtime.Models;

/// <summary>The spec's <c>data</c> section as plain runtime values; paths are relative to the spec.</summary>
public abstract record DataSettings;

public sealed record SyntheticDataSettings(int Samples, int Latent, double Noise, int Seed, IReadOnlyList<double> Split) : DataSettings
{
    /// <summary>The generator's options for this section; <paramref name="samples"/> overrides the sample count.</summary>
    public Data.SyntheticOptions ToOptions(int? samples = null) =>
        new() { Samples = samples ?? Samples, Latent = Latent, Noise = Noise, Seed = unchecked((ulong)Seed) };
}

public sealed record NpzDataSettings(string Path, IReadOnlyList<double> Split) : DataSettings;

public sealed record NpyDataSettings(string Path) : DataSettings;

/// <summary>A CSV file; <see cref="CsvColumnSetting"/> maps each modality or target to a column or a range.</summary>
public sealed record CsvDataSettings(string Path, IReadOnlyList<CsvColumnSetting> Columns) : DataSettings;

/// <summary>One column (<paramref name="To"/> null) or the range <c>From:To</c>.</summary>
public sealed record CsvColumnSetting(string Name, string From, string? To);
