using Fusion.Spec;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Tests;

/// <summary>The specs of the repository's <c>specs/</c> folder, checked (found by walking up to Fusion.Dsl.sln).</summary>
internal static class SpecFiles
{
    public static string Root { get; } = FindRoot();

    public static IEnumerable<object[]> Names() =>
        Directory.GetFiles(Path.Combine(Root, "specs"), "*.yaml").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).Select(n => new object[] { n! });

    public static FusionSpec Load(string fileName)
    {
        var result = SpecReader.ReadFile(Path.Combine(Root, "specs", fileName));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fusion.Dsl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Fusion.Dsl.sln not found above {AppContext.BaseDirectory}");
    }
}
