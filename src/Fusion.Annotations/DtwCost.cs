namespace Fusion.Annotations;

/// <summary>The <c>cost</c> of a dtw loss: the pairwise cost between a step of each sequence.</summary>
public enum DtwCost
{
    /// <summary><c>squared_euclidean</c></summary>
    SquaredEuclidean,
    /// <summary><c>euclidean</c></summary>
    Euclidean,
    /// <summary><c>cosine</c></summary>
    Cosine,
}
