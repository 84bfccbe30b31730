namespace Fusion.Runtime.Operators;

/// <summary>How <see cref="SelfAttentionFusion"/> turns its M encoded tokens into one vector.</summary>
public enum SelfAttentionPool
{
    /// <summary>The mean of the tokens, <c>[width]</c>.</summary>
    Mean,

    /// <summary>The first input's token, <c>[width]</c>.</summary>
    First,

    /// <summary>The tokens concatenated in input order, <c>[M * width]</c>.</summary>
    Flatten,
}
