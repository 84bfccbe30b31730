using System.Text;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Nn;

/// <summary>Everything wrong between a state dict and a module, found by <see cref="Module.LoadStateDict"/>.</summary>
public sealed class StateDictMismatchException : Exception
{
    public StateDictMismatchException(string moduleName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<(string Key, int[] Expected, int[] Found)> mismatched)
        : base(Describe(moduleName, missing, unexpected, mismatched))
    {
        MissingKeys = missing;
        UnexpectedKeys = unexpected;
        ShapeMismatches = mismatched;
    }

    public IReadOnlyList<string> MissingKeys { get; }
    public IReadOnlyList<string> UnexpectedKeys { get; }
    public IReadOnlyList<(string Key, int[] Expected, int[] Found)> ShapeMismatches { get; }

    private static string Describe(string moduleName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<(string Key, int[] Expected, int[] Found)> mismatched)
    {
        var sb = new StringBuilder($"Error(s) in loading state dict for {moduleName}:");
        if (missing.Count > 0) sb.Append("\n  Missing key(s): ").Append(string.Join(", ", missing.Select(k => $"\"{k}\""))).Append('.');
        if (unexpected.Count > 0) sb.Append("\n  Unexpected key(s): ").Append(string.Join(", ", unexpected.Select(k => $"\"{k}\""))).Append('.');
        foreach (var (key, expected, found) in mismatched)
            sb.Append($"\n  size mismatch for {key}: copying a param with shape {Layout.Format(found)} from checkpoint, the shape in current model is {Layout.Format(expected)}.");
        return sb.ToString();
    }
}
