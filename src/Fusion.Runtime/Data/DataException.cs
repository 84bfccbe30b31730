namespace Fusion.Runtime.Data;

/// <summary>
/// Bad input data: a file that is not what it claims, a missing column, a shape or dtype that does
/// not match what the model declares. The message names the source (a file, or "synthetic"), the
/// modality or target, and the expected versus actual value.
/// </summary>
public sealed class DataException : Exception
{
    public DataException(string source, string message, Exception? inner = null)
        : base($"{source}: {message}", inner)
    {
        SourceName = source;
    }

    /// <summary>The file (or other source) the bad input came from.</summary>
    public string SourceName { get; }
}
