namespace Fusion.Cli.Tests;

/// <summary>A temporary folder for one test's run outputs, deleted afterwards.</summary>
internal sealed class RunFolder : IDisposable
{
    public RunFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fusion-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
