namespace Fusion.Runtime.Models;

/// <summary>
/// A batch handed to a generated model does not match the spec: the message names the batch
/// property, the modality, the expected per-sample shape and the actual shape
/// (<c>batch.Audio has shape [32, 70] but modality 'audio' is [74] per sample</c>).
/// </summary>
public sealed class BatchShapeException : Exception
{
    public BatchShapeException(string message)
        : base(message)
    {
    }

    public BatchShapeException(string modality, string message)
        : base(message)
    {
        Modality = modality;
    }

    /// <summary>The modality (or target) at fault, when there is one.</summary>
    public string? Modality { get; }
}
