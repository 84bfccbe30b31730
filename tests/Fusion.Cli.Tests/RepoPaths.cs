namespace Fusion.Cli.Tests;

/// <summary>Paths in the repository, found by walking up from the test binaries to Fusion.Dsl.sln.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Spec(string fileName) => Path.Combine(Root, "specs", fileName);

    public static string Fixture(string fileName) => Path.Combine(Root, "tests", "Fusion.Cli.Tests", "Fixtures", fileName);

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
