using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// Central moment discrepancy (MISA's L_sim term, methods.md section 4) between samples
    /// x [N1, D] and y [N2, D] (one sample per row):
    /// <c>||E x - E y||_2 + sum_{k=2..K} ||c_k(x) - c_k(y)||_2</c>, with
    /// <c>c_k(x) = E[(x - E x)^k]</c> per dimension and expectations over the rows.
    /// As methods.md and MISA's code write it, there is no scaling by the support bounds
    /// (Zellinger et al.'s 1/|b-a| and 1/|b-a|^k factors are omitted). Each norm has gradient
    /// 0 at a zero difference (not NaN), so identical samples give zero gradients.
    /// </summary>
    public static Tensor Cmd(Tensor x, Tensor y, int moments = 5)
    {
        if (x.Rank != 2 || y.Rank != 2 || x.Size(1) != y.Size(1))
            throw new ArgumentException($"Cmd expects samples [N1, D] and [N2, D]; got {Layout.Format(x.Shape)} and {Layout.Format(y.Shape)}.");
        if (x.Size(0) == 0 || y.Size(0) == 0) throw new ArgumentException("Cmd of an empty sample.");
        if (moments < 1) throw new ArgumentOutOfRangeException(nameof(moments), moments, "Cmd needs at least the first moment.");
        var meanX = x.Mean(0);
        var meanY = y.Mean(0);
        var total = EuclideanNorm(meanX - meanY);
        var centredX = x - meanX;
        var centredY = y - meanY;
        var powerX = centredX;
        var powerY = centredY;
        for (int k = 2; k <= moments; k++)
        {
            // Integer powers by repeated products: exact for negative bases.
            powerX = powerX * centredX;
            powerY = powerY * centredY;
            total = total + EuclideanNorm(powerX.Mean(0) - powerY.Mean(0));
        }
        return total;
    }

    /// <summary>
    /// ||v||_2 over the last axis as <c>sum(v * normalize(v))</c>: the same value as
    /// sqrt(sum v^2), with gradient v/||v|| and 0 (not NaN) at v = 0.
    /// </summary>
    private static Tensor EuclideanNorm(Tensor v) => (v * v.L2Normalize(-1)).Sum(-1);
}
