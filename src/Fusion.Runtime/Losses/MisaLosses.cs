namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// MISA's similarity term <c>L_sim</c> (methods.md section 4): the mean over the pairs i &lt; j of
    /// <see cref="Cmd"/><c>(s_i, s_j, moments)</c> of the shared vectors <c>s_m [B, hidden]</c>; 0 with one input.
    /// </summary>
    public static Tensor MisaSimilarity(IReadOnlyList<Tensor> shared, int moments = 5)
    {
        if (shared.Count == 0) throw new ArgumentException("MisaSimilarity needs at least one shared vector.");
        Tensor? total = null;
        int pairs = 0;
        for (int i = 0; i < shared.Count; i++)
        {
            for (int j = i + 1; j < shared.Count; j++)
            {
                var term = Cmd(shared[i], shared[j], moments);
                total = total is null ? term : total + term;
                pairs++;
            }
        }

        return total is null ? (shared[0] * 0f).Sum() : total * (1f / pairs);
    }

    /// <summary>
    /// MISA's difference term <c>L_diff</c> (methods.md sections 0 and 4): the sum of
    /// <see cref="DiffLoss"/> over each input's (private, shared) pair <c>(p_m, s_m)</c> and over the
    /// (private, private) pairs <c>(p_i, p_j)</c>, i &lt; j.
    /// </summary>
    public static Tensor MisaDifference(IReadOnlyList<Tensor> privates, IReadOnlyList<Tensor> shared)
    {
        if (privates.Count == 0 || privates.Count != shared.Count)
            throw new ArgumentException($"MisaDifference needs as many shared as private vectors (at least one); got {privates.Count} and {shared.Count}.");
        var total = DiffLoss(privates[0], shared[0]);
        for (int m = 1; m < privates.Count; m++) total = total + DiffLoss(privates[m], shared[m]);
        for (int i = 0; i < privates.Count; i++)
        {
            for (int j = i + 1; j < privates.Count; j++) total = total + DiffLoss(privates[i], privates[j]);
        }

        return total;
    }

    /// <summary>
    /// MISA's reconstruction term <c>L_rec</c> (methods.md section 4): the mean over the inputs of
    /// <see cref="Mse"/><c>(u_hat_m, u_m)</c>; gradients flow into both sides, as in MISA's code.
    /// </summary>
    public static Tensor MisaReconstruction(IReadOnlyList<Tensor> reconstructed, IReadOnlyList<Tensor> projected)
    {
        if (reconstructed.Count == 0 || reconstructed.Count != projected.Count)
            throw new ArgumentException($"MisaReconstruction needs one reconstruction per vector (at least one); got {reconstructed.Count} and {projected.Count}.");
        var total = Mse(reconstructed[0], projected[0]);
        for (int m = 1; m < reconstructed.Count; m++) total = total + Mse(reconstructed[m], projected[m]);
        return total * (1f / reconstructed.Count);
    }
}
