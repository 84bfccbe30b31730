using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// Dynamic time warping (methods.md section 5): the minimal-cost monotone alignment of the
    /// sequences x [B, n, d] and y [B, m, d] (or x [n, d] and y [m, d], a batch of one) under the
    /// pairwise <paramref name="cost"/> <c>C_ij</c>, averaged over the batch. The recursion is
    /// <c>R_00 = 0</c>, <c>R_i0 = R_0j = +inf</c>, <c>R_ij = C_ij + min_gamma(R_{i-1,j-1}, R_{i-1,j}, R_{i,j-1})</c>,
    /// and a sample's loss is <c>R_{len_x, len_y}</c>: its alignment starts at the first steps
    /// and ends at the last valid ones, so padding past <paramref name="xLengths"/> and
    /// <paramref name="yLengths"/> (null: every step valid) changes nothing.
    /// <para>
    /// <paramref name="gamma"/> = 0 is the hard DTW cost of Sakoe and Chiba (1978), <c>min_0 = min</c>;
    /// its gradient is the (sub)gradient along one optimal path (ties broken towards the
    /// diagonal, then the step in x). <paramref name="gamma"/> &gt; 0 is soft-DTW (Cuturi and
    /// Blondel, ICML 2017), <c>min_gamma(a) = -gamma log sum_k exp(-a_k / gamma)</c>, smooth, with
    /// the gradient <c>E = dR_{len_x,len_y} / dC</c> from their backward recursion; soft-DTW can
    /// be negative and tends to the hard cost as gamma goes to 0. The recursion runs in double
    /// precision; gradients reach x and y through the cost matrix.
    /// </para>
    /// </summary>
    public static Tensor Dtw(Tensor x, Tensor y, float gamma, DtwCost cost = DtwCost.SquaredEuclidean, LongTensor? xLengths = null, LongTensor? yLengths = null)
    {
        if (x.Rank == 2 && y.Rank == 2) return Dtw(x.Unsqueeze(0), y.Unsqueeze(0), gamma, cost, xLengths, yLengths);
        if (x.Rank != 3 || y.Rank != 3 || x.Size(0) != y.Size(0) || x.Size(2) != y.Size(2))
            throw new ArgumentException($"Dtw expects x [B, n, d] and y [B, m, d] (or [n, d] and [m, d]); got {Layout.Format(x.Shape)} and {Layout.Format(y.Shape)}.");
        if (x.Size(0) == 0 || x.Size(1) == 0 || y.Size(1) == 0) throw new ArgumentException("Dtw of an empty sequence or batch.");
        if (!(gamma >= 0f) || float.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Dtw needs a finite gamma >= 0.");

        int batch = x.Size(0);
        var validX = ValidLengths(xLengths, batch, x.Size(1), nameof(xLengths));
        var validY = ValidLengths(yLengths, batch, y.Size(1), nameof(yLengths));
        var costs = cost switch
        {
            DtwCost.SquaredEuclidean => SquaredDistances(x, y),
            DtwCost.Euclidean => EuclideanNorm(x.Unsqueeze(2) - y.Unsqueeze(1)),
            DtwCost.Cosine => 1f - Tensor.MatMul(x.L2Normalize(-1), y.L2Normalize(-1).Transpose(1, 2)),
            _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "Unknown DTW cost."),
        };
        return AlignmentCosts(costs, gamma, validX, validY).Mean();
    }

    /// <summary>The valid steps of each sample, each in [1, steps]; all of them when <paramref name="lengths"/> is null.</summary>
    private static int[] ValidLengths(LongTensor? lengths, int batch, int steps, string name)
    {
        var result = new int[batch];
        if (lengths is null)
        {
            Array.Fill(result, steps);
            return result;
        }

        if (lengths.Rank != 1 || lengths.Size(0) != batch)
            throw new ArgumentException($"Dtw: {name} must have shape [{batch}], one length per sample; got {Layout.Format(lengths.Shape)}.", name);
        var span = lengths.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            if (span[b] < 1 || span[b] > steps)
                throw new ArgumentOutOfRangeException(name, span[b], $"Dtw: sample {b} has length {span[b]}; a length is from 1 to the {steps} steps of the sequence.");
            result[b] = (int)span[b];
        }

        return result;
    }

    /// <summary>
    /// R_{len_x, len_y} of each sample [B] from the costs [B, n, m]; backward scales each
    /// sample's alignment matrix E by its upstream gradient (zero outside the valid block).
    /// </summary>
    private static Tensor AlignmentCosts(Tensor costs, float gamma, int[] lengthsX, int[] lengthsY)
    {
        var c = costs.Contiguous();
        int batch = c.Size(0), n = c.Size(1), m = c.Size(2);
        var values = new float[batch];
        var alignments = new float[batch * n * m];
        var cs = c.AsReadOnlySpan();
        for (int b = 0; b < batch; b++)
        {
            var sample = cs.Slice(b * n * m, n * m);
            var alignment = alignments.AsSpan(b * n * m, n * m);
            values[b] = (float)DtwRecursion.Run(sample, m, lengthsX[b], lengthsY[b], gamma, alignment);
        }

        var result = Tensor.FromArray(values, batch);
        return Autograd.Record(result, [c], g =>
        {
            var gs = g.Contiguous().AsReadOnlySpan();
            var dc = new float[batch * n * m];
            for (int b = 0; b < batch; b++)
            {
                float scale = gs[b];
                int start = b * n * m;
                for (int k = start; k < start + n * m; k++) dc[k] = alignments[k] * scale;
            }

            c.AccumulateGrad(dc);
        }, "dtw");
    }
}
