namespace Fusion.Runtime.Operators;

/// <summary>How <see cref="LateFusion"/> combines its per-input heads.</summary>
public enum LateCombine
{
    /// <summary>The mean of the heads' outputs.</summary>
    Mean,

    /// <summary><c>sum_m softmax(weights)_m y_m</c> with learnable <c>weights [M]</c> (zeros at first: the mean).</summary>
    Weighted,

    /// <summary>Soft vote: the mean of the heads' softmax distributions over the <c>out</c> classes.</summary>
    Vote,
}
