namespace Fusion.Spec;

/// <summary>A spec file could not be read (missing, unreadable). Problems in its content are diagnostics, never exceptions.</summary>
public sealed class SpecFileException : Exception
{
    public SpecFileException(string path, string message, Exception? inner)
        : base($"cannot read spec '{path}': {message}", inner)
    {
        Path = path;
    }

    public string Path { get; }
}
