using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// MISA's difference (soft orthogonality) loss for one pair of representations
    /// (methods.md section 4): p [B, ...] and s [B, ...] are flattened to [B, dp] and [B, ds],
    /// centred over the batch, each row L2-normalised (PyTorch's F.normalize, eps 1e-12), then
    /// <c>mean((P~^T S~)^2)</c> over the dp x ds entries. Gradients flow through the centring
    /// and the normalisation (MISA's reference code detaches the row norms; methods.md does not).
    /// L_diff sums this over the pairs a spec declares.
    /// </summary>
    public static Tensor DiffLoss(Tensor p, Tensor s)
    {
        if (p.Rank < 1 || s.Rank < 1 || p.Size(0) != s.Size(0))
            throw new ArgumentException($"DiffLoss expects two batches with the same first dimension; got {Layout.Format(p.Shape)} and {Layout.Format(s.Shape)}.");
        var pn = CentredRows(p);
        var sn = CentredRows(s);
        return Tensor.MatMul(pn.T(), sn).Square().Mean();
    }

    private static Tensor CentredRows(Tensor x)
    {
        var rows = x.Reshape(x.Size(0), -1);
        return (rows - rows.Mean(0, keepDim: true)).L2Normalize(-1);
    }
}
