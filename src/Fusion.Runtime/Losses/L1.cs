namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// Mean absolute error <c>|input - target|</c>, reduced (mean by default), like PyTorch's
    /// <c>F.l1_loss</c>; the gradient at a zero difference is 0. Shapes must match.
    /// </summary>
    public static Tensor L1(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape(input, target, nameof(L1));
        return (input - target).Abs().Reduce(reduction);
    }
}
