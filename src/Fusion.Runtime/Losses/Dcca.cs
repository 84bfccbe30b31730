using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// Deep CCA loss (Andrew et al. 2013; methods.md section 5) of two views H1 [m, o1] and
    /// H2 [m, o2] with one sample per row (the paper stores samples as columns; here
    /// <c>H^T</c> is the paper's H). With H1c, H2c the views centred over the m samples:
    /// <c>S12 = H1c^T H2c / (m - 1)</c>, <c>S11 = H1c^T H1c / (m - 1) + r I</c>,
    /// <c>S22 = H2c^T H2c / (m - 1) + r I</c>, <c>T = S11^(-1/2) S12 S22^(-1/2)</c>
    /// (inverse square roots by symmetric eigendecomposition, in double); the correlation is
    /// the sum of the singular values of T (its trace norm), or of the top
    /// <paramref name="topK"/> of them; the loss is its negative. The correlation lies in
    /// [0, min(o1, o2)] (below it by the ridge r). Needs m &gt;= 2; m below the output width
    /// makes S11, S22 singular but for r.
    /// </summary>
    public static Tensor Dcca(Tensor h1, Tensor h2, float ridge = 1e-3f, int? topK = null)
    {
        if (h1.Rank != 2 || h2.Rank != 2 || h1.Size(0) != h2.Size(0))
            throw new ArgumentException($"Dcca expects views [m, o1] and [m, o2] with one sample per row; got {Layout.Format(h1.Shape)} and {Layout.Format(h2.Shape)}.");
        int m = h1.Size(0);
        if (m < 2) throw new ArgumentException($"Dcca needs at least 2 samples; got {m}.");
        if (!(ridge >= 0f)) throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "The DCCA ridge must be non-negative.");
        int o1 = h1.Size(1), o2 = h2.Size(1);
        int k = topK ?? Math.Min(o1, o2);
        if (k < 1 || k > Math.Min(o1, o2))
            throw new ArgumentOutOfRangeException(nameof(topK), topK, $"topK must lie in [1, {Math.Min(o1, o2)}].");

        var c1 = h1 - h1.Mean(0, keepDim: true);
        var c2 = h2 - h2.Mean(0, keepDim: true);
        float norm = 1f / (m - 1);
        var s12 = Tensor.MatMul(c1.T(), c2) * norm;
        var s11 = Tensor.MatMul(c1.T(), c1) * norm + Tensor.Eye(o1) * ridge;
        var s22 = Tensor.MatMul(c2.T(), c2) * norm + Tensor.Eye(o2) * ridge;
        var t = Tensor.MatMul(Tensor.MatMul(s11.SymmetricInverseSqrt(), s12), s22.SymmetricInverseSqrt());
        return -t.SumTopSingularValues(k);
    }
}
