using Fusion.Runtime.Compute;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Tensor Fusion (Zadeh et al. 2017; methods.md sections 0 and 2), the spec's <c>tensor</c> op:
/// <c>z = [1; h_1] (x) [1; h_2] (x) ... (x) [1; h_M]</c> flattened row-major, the 1 first in every
/// factor and the first input's index varying slowest: <c>[B, prod (d_m + 1)]</c>. No parameters.
/// </summary>
public sealed class TensorFusion : Module
{
    public Tensor Forward(IReadOnlyList<Tensor> xs)
    {
        if (xs.Count == 0) throw new ArgumentException("TensorFusion needs at least one input.");
        int batch = xs[0].Size(0);
        Tensor? z = null;
        foreach (var x in xs)
        {
            if (x.Rank != 2 || x.Size(0) != batch) throw new ArgumentException($"TensorFusion expects vectors [{batch}, d]; got {Layout.Format(x.Shape)}.");
            var factor = Tensor.Concat(-1, Tensor.Ones(batch, 1), x);
            z = z is null ? factor : Tensor.Outer(z, factor).Reshape(batch, -1);
        }

        return z!;
    }
}
