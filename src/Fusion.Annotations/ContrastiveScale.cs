namespace Fusion.Annotations;

/// <summary>The <c>scale</c> of a contrastive loss.</summary>
public enum ContrastiveScale
{
    /// <summary><c>fixed</c></summary>
    Fixed,
    /// <summary><c>learnable</c></summary>
    Learnable,
}
