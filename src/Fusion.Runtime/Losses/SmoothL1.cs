namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// Smooth L1 (Huber-like) loss like PyTorch's <c>F.smooth_l1_loss</c>: with d = input - target,
    /// <c>0.5 d^2 / beta</c> where |d| &lt; beta, else <c>|d| - 0.5 beta</c>; beta = 0 is the L1 loss.
    /// Reduced (mean by default). Shapes must match.
    /// </summary>
    public static Tensor SmoothL1(Tensor input, Tensor target, float beta = 1f, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape(input, target, nameof(SmoothL1));
        if (!(beta >= 0f)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "SmoothL1 needs beta >= 0.");
        var d = input - target;
        var absolute = d.Abs();
        if (beta == 0f) return absolute.Reduce(reduction);
        Tensor quadraticRegion;
        using (Autograd.NoGrad()) quadraticRegion = absolute.Lt(beta);
        var losses = Tensor.Where(quadraticRegion, d.Square() * (0.5f / beta), absolute - 0.5f * beta);
        return losses.Reduce(reduction);
    }
}
