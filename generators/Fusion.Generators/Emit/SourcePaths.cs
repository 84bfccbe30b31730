namespace Fusion.Generators.Emit;

/// <summary>
/// The path a generated header names: relative to the project folder (MSBuild's <c>ProjectDir</c>,
/// visible to analyzers by default) with '/' separators, so a build gives the same bytes in any
/// checkout. Diagnostics keep the full path.
/// </summary>
internal static class SourcePaths
{
    public const string ProjectDirOption = "build_property.projectdir";

    public static string Display(string path, string? projectDir)
    {
        if (!string.IsNullOrEmpty(projectDir) && path.StartsWith(projectDir!, System.StringComparison.Ordinal))
        {
            path = path.Substring(projectDir!.Length).TrimStart('/', '\\');
        }

        return path.Replace('\\', '/');
    }
}
