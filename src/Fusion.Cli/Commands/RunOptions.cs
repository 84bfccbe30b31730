using System.CommandLine;

namespace Fusion.Cli.Commands;

/// <summary>The options shared by <c>train</c>, <c>eval</c> and <c>predict</c> (one definition, same names and help).</summary>
internal static class RunOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Data instead of the spec's data section: an .npz file, a folder of .npy files, or a .csv (with the spec's column mapping).",
    };

    public static Option<int?> Samples() => new("--samples")
    {
        Description = "Sample count of synthetic data instead of the spec's (quick runs).",
    };

    public static Option<string> Checkpoint() => new("--checkpoint")
    {
        Description = "A model.safetensors written by 'fusion train' for this spec.",
        Required = true,
    };

    /// <summary>A usage error for a count that must be positive, or null when it is fine.</summary>
    public static int? CheckPositive(int? value, string name, TextWriter error)
    {
        if (value is int n && n <= 0)
        {
            error.WriteLine($"fusion: {name} must be positive (got {n})");
            return ExitCodes.SpecErrors;
        }

        return null;
    }
}
