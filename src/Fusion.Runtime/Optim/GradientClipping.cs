namespace Fusion.Runtime.Optim;

/// <summary>Gradient clipping by global norm, like torch.nn.utils.clip_grad_norm_.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Computes the 2-norm of all gradients together (parameters without a gradient are ignored)
    /// and, when it exceeds <paramref name="maxNorm"/>, scales every gradient in place by
    /// maxNorm / (norm + 1e-6). Returns the norm before clipping.
    /// </summary>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        double sumSquares = 0;
        var grads = new List<Tensor>();
        foreach (var p in parameters)
        {
            if (p.Grad is not { } g) continue;
            grads.Add(g);
            var s = g.AsReadOnlySpan();
            double norm = System.Numerics.Tensors.TensorPrimitives.Norm(s);
            sumSquares += norm * norm;
        }
        float total = (float)Math.Sqrt(sumSquares);
        float coef = maxNorm / (total + 1e-6f);
        if (coef < 1f)
        {
            using var _ = Autograd.NoGrad();
            foreach (var g in grads) g.MulInPlace(coef);
        }
        return total;
    }
}
