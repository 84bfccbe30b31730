namespace Fusion.Runtime.Losses;

/// <summary>The pairwise cost between a step of each sequence in <see cref="Loss.Dtw"/>.</summary>
public enum DtwCost
{
    /// <summary><c>||x_i - y_j||^2</c>.</summary>
    SquaredEuclidean,

    /// <summary><c>||x_i - y_j||</c> (gradient 0, not NaN, where two steps coincide).</summary>
    Euclidean,

    /// <summary><c>1 - cos(x_i, y_j)</c>, with a zero step normalised to zero (cost 1).</summary>
    Cosine,
}
