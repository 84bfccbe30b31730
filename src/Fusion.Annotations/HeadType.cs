namespace Fusion.Annotations;

/// <summary>The <c>type</c> of a head.</summary>
public enum HeadType
{
    /// <summary><c>classifier</c></summary>
    Classifier,
    /// <summary><c>regressor</c></summary>
    Regressor,
    /// <summary><c>multilabel</c></summary>
    Multilabel,
    /// <summary><c>embedding</c></summary>
    Embedding,
}
