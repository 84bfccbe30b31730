namespace Fusion.Generators.Tests;

/// <summary>Paths in the repository: the folder above the test binaries that holds Fusion.Dsl.sln.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Specs => Path.Combine(Root, "specs");

    public static string Snapshots => Path.Combine(Root, "tests", "Fusion.Generators.Tests", "Snapshots");

    public static string Of(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fusion.Dsl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Fusion.Dsl.sln above {AppContext.BaseDirectory}.");
    }
}
