namespace Fusion.Runtime.Checkpoints;

/// <summary>A file that is not a valid safetensors checkpoint. The message names the file and the problem.</summary>
public sealed class SafeTensorsFormatException : FormatException
{
    public SafeTensorsFormatException(string filePath, string problem)
        : base($"{filePath}: not a valid safetensors file: {problem}")
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that was read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
