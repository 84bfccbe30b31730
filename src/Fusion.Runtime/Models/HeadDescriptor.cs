namespace Fusion.Runtime.Models;

/// <summary>What a head predicts, for metrics.</summary>
public enum HeadKind
{
    Classifier,
    Regressor,
    Multilabel,
    Embedding,
}

/// <summary>One head: its kind, its output width and the target it is trained against (null for embeddings).</summary>
public sealed record HeadDescriptor(string Name, HeadKind Kind, int Width, string? Target);
