namespace Fusion.Runtime.Operators;

/// <summary>How <see cref="SequencePool"/> reduces the steps of a sequence (or the pixels of an image).</summary>
public enum PoolMode
{
    Mean,
    Max,
    Min,
    First,
    Last,
}
