namespace Fusion.Benchmarks;

/// <summary>
/// One benchmark of the suite. Program finds every public non-abstract implementation in this assembly, so a new
/// benchmark is one new file: a class with a parameterless constructor implementing this interface.
/// </summary>
public interface IBenchmark
{
    /// <summary>Name used on the command line (lower case, no spaces), e.g. "gemm".</summary>
    string Name { get; }

    /// <summary>One line shown by "list".</summary>
    string Description { get; }

    /// <summary>Runs the benchmark and prints its results to standard output.</summary>
    void Run(BenchmarkOptions options);
}

/// <summary>Command-line options shared by all benchmarks.</summary>
/// <param name="Quick">Shorter warm-up and fewer samples (smoke runs, CI); numbers are noisier.</param>
/// <param name="Arguments">Arguments after the benchmark names that start with "--", for benchmark-specific switches.</param>
public sealed record BenchmarkOptions(bool Quick, IReadOnlyList<string> Arguments)
{
    public bool Has(string flag) => Arguments.Contains(flag);

    /// <summary>The value after <paramref name="flag"/> ("--flag value"), or null.</summary>
    public string? Value(string flag)
    {
        for (int i = 0; i + 1 < Arguments.Count; i++)
            if (Arguments[i] == flag) return Arguments[i + 1];
        return null;
    }
}
