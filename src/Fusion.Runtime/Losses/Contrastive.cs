using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>The largest learnable contrastive scale by default (CLIP's clamp of exp(t)).</summary>
    public const float DefaultMaxContrastiveScale = 100f;

    /// <summary>
    /// Symmetric contrastive (CLIP / InfoNCE) loss with a fixed scale s = 1/tau (methods.md
    /// section 1): z_a, z_b [B, D] are L2-normalised along D, <c>logits = s z_a z_b^T</c>,
    /// <c>L = (CE(logits, I) + CE(logits^T, I)) / 2</c> where row i's target is i.
    /// With B = 1 the loss is identically 0.
    /// </summary>
    public static Tensor Contrastive(Tensor za, Tensor zb, float scale)
    {
        if (!(scale > 0f) || float.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The contrastive scale must be positive and finite.");
        return ContrastiveFromSimilarity(CosineSimilarities(za, zb) * scale);
    }

    /// <summary>
    /// Symmetric contrastive loss with a learnable scale: <paramref name="logScale"/> is the
    /// one-element parameter t and <c>s = min(exp(t), maxScale)</c> in the forward pass (the
    /// gradient to t is zero once exp(t) exceeds maxScale). Otherwise as
    /// <see cref="Contrastive(Tensor, Tensor, float)"/>.
    /// </summary>
    public static Tensor Contrastive(Tensor za, Tensor zb, Tensor logScale, float maxScale = DefaultMaxContrastiveScale)
    {
        if (logScale.Numel != 1) throw new ArgumentException($"The learnable contrastive scale must have one element; shape is {Layout.Format(logScale.Shape)}.");
        return ContrastiveFromSimilarity(CosineSimilarities(za, zb) * ContrastiveScale(logScale, maxScale));
    }

    /// <summary>The learnable scale <c>min(exp(t), maxScale)</c> (for logging or reuse).</summary>
    public static Tensor ContrastiveScale(Tensor logScale, float maxScale = DefaultMaxContrastiveScale)
    {
        if (!(maxScale > 0f)) throw new ArgumentOutOfRangeException(nameof(maxScale), maxScale, "maxScale must be positive.");
        return logScale.Exp().ClampMax(maxScale);
    }

    /// <summary>z_a z_b^T after L2-normalising both along the feature axis: [B, B].</summary>
    private static Tensor CosineSimilarities(Tensor za, Tensor zb)
    {
        if (za.Rank != 2 || zb.Rank != 2 || !za.Shape.SequenceEqual(zb.Shape))
            throw new ArgumentException($"Contrastive expects two embeddings [B, D] of one shape; got {Layout.Format(za.Shape)} and {Layout.Format(zb.Shape)}.");
        if (za.Size(0) == 0) throw new ArgumentException("Contrastive loss of an empty batch.");
        return Tensor.MatMul(za.L2Normalize(-1), zb.L2Normalize(-1).T());
    }

    private static Tensor ContrastiveFromSimilarity(Tensor logits)
    {
        var identity = LongTensor.Arange(logits.Size(0));
        var aToB = CrossEntropy(logits, identity);
        var bToA = CrossEntropy(logits.T(), identity);
        return (aToB + bToA) * 0.5f;
    }
}
