using System.Globalization;

namespace Fusion.Cli.Tests;

/// <summary>Parses a metrics line of the CLI (<c>test  loss 0.81  accuracy 0.62</c>) into name -> value.</summary>
internal static class MetricsLine
{
    public static string Find(CliRun run, string label) =>
        run.OutLines.SingleOrDefault(l => l.StartsWith(label + "  ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no '{label}' line in:\n{run.Out}\n{run.Err}");

    public static IReadOnlyDictionary<string, double> Parse(string line)
    {
        var values = new Dictionary<string, double>();
        foreach (var pair in line.Split("  ", StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var parts = pair.Split(' ');
            values[parts[0]] = double.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        return values;
    }
}
