using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// Mean squared error <c>(input - target)^2</c>, reduced (mean by default), like PyTorch's
    /// <c>F.mse_loss</c>. Also the reconstruction loss of methods.md (AutoFusion, MISA L_rec):
    /// MSE between a decoder's output and its input. Shapes must match (no silent broadcasting).
    /// </summary>
    public static Tensor Mse(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape(input, target, nameof(Mse));
        return (input - target).Square().Reduce(reduction);
    }

    private static void RequireSameShape(Tensor input, Tensor target, string loss)
    {
        if (!input.Shape.SequenceEqual(target.Shape))
            throw new ArgumentException($"{loss}: input {Layout.Format(input.Shape)} and target {Layout.Format(target.Shape)} must have the same shape.");
    }
}
