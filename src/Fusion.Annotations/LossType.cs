namespace Fusion.Annotations;

/// <summary>The <c>type</c> of a loss.</summary>
public enum LossType
{
    /// <summary><c>cross_entropy</c></summary>
    CrossEntropy,
    /// <summary><c>bce</c></summary>
    Bce,
    /// <summary><c>mse</c></summary>
    Mse,
    /// <summary><c>l1</c></summary>
    L1,
    /// <summary><c>contrastive</c></summary>
    Contrastive,
    /// <summary><c>cca</c></summary>
    Cca,
    /// <summary><c>cmd</c></summary>
    Cmd,
    /// <summary><c>sinkhorn</c></summary>
    Sinkhorn,
    /// <summary><c>reconstruction</c></summary>
    Reconstruction,
    /// <summary><c>difference</c></summary>
    Difference,
    /// <summary><c>adversarial</c></summary>
    Adversarial,
    /// <summary><c>dtw</c></summary>
    Dtw,
}
