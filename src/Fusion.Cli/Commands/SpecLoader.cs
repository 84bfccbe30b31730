using Fusion.Spec;
using Fusion.Spec.Ir;

namespace Fusion.Cli.Commands;

/// <summary>
/// Loads one spec for a command that needs its IR (<c>graph</c>, <c>params</c>): prints its
/// diagnostics to the error writer and gives the IR only when there are no errors.
/// </summary>
internal static class SpecLoader
{
    /// <summary>Returns the exit code to use when loading failed, or null with <paramref name="spec"/> set.</summary>
    public static int? TryLoad(string path, TextWriter error, out FusionSpec? spec)
    {
        spec = null;
        if (TryRead(path, error) is not { } result)
        {
            return ExitCodes.Unreadable;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            error.WriteLine(diagnostic.ToString());
        }

        if (result.HasErrors || result.Spec is null)
        {
            return ExitCodes.SpecErrors;
        }

        spec = result.Spec;
        return null;
    }

    /// <summary>Reads and checks one spec; null (after one line on <paramref name="error"/>) when the file cannot be read.</summary>
    public static SpecResult? TryRead(string path, TextWriter error)
    {
        try
        {
            return SpecReader.ReadFile(path);
        }
        catch (SpecFileException e)
        {
            error.WriteLine($"fusion: {e.Message}");
            return null;
        }
    }
}
