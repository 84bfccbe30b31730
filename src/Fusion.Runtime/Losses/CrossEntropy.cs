using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Losses;

public static partial class Loss
{
    /// <summary>
    /// Cross-entropy of class logits [B, C] against integer targets [B] (PyTorch's
    /// <c>F.cross_entropy(logits, targets, label_smoothing=eps)</c>): per sample
    /// <c>(1 - eps) * (-log p_y) + eps * mean_c(-log p_c)</c> with p = softmax(logits), reduced
    /// by <paramref name="reduction"/> (mean over the batch by default). Log-softmax and NLL are
    /// fused: computed stably in double per row, with one backward <c>g * (softmax - q)</c> where
    /// q is the smoothed one-hot target <c>(1 - eps) onehot + eps / C</c> (divided by B for the mean).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, LongTensor targets, float labelSmoothing = 0f, Reduction reduction = Reduction.Mean)
    {
        if (logits.Rank != 2) throw new ArgumentException($"CrossEntropy expects logits [B, C]; shape is {Layout.Format(logits.Shape)}.");
        int batch = logits.Size(0), classes = logits.Size(1);
        if (targets.Rank != 1 || targets.Size(0) != batch)
            throw new ArgumentException($"CrossEntropy expects targets [{batch}] for logits {Layout.Format(logits.Shape)}; got {Layout.Format(targets.Shape)}.");
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must lie in [0, 1].");
        if (batch == 0 && reduction == Reduction.Mean) throw new ArgumentException("CrossEntropy with mean reduction over an empty batch.");

        var t = targets.AsSpan();
        var x = logits.IsContiguous ? logits : logits.CopyContiguousUntracked();
        var xs = x.AsReadOnlySpan();
        var probabilities = Tensor.Empty(batch, classes);
        var ps = probabilities.AsSpan();
        var perSample = new double[batch];
        double smooth = labelSmoothing, onTarget = 1.0 - smooth;
        for (int i = 0; i < batch; i++)
        {
            long target = t[i];
            if (target < 0 || target >= classes)
                throw new ArgumentOutOfRangeException(nameof(targets), target, $"Target {target} of sample {i} is outside [0, {classes}).");
            var row = xs.Slice(i * classes, classes);
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++) max = Math.Max(max, row[c]);
            double sumExp = 0, sumLogits = 0;
            for (int c = 0; c < classes; c++)
            {
                sumExp += Math.Exp(row[c] - max);
                sumLogits += row[c];
            }
            double logSum = max + Math.Log(sumExp);
            for (int c = 0; c < classes; c++) ps[i * classes + c] = (float)Math.Exp(row[c] - logSum);
            // -log p_c = logSum - x_c
            double nll = logSum - row[(int)target];
            double meanNll = logSum - sumLogits / classes;
            perSample[i] = onTarget * nll + smooth * meanNll;
        }
        if (!ReferenceEquals(x, logits)) x.Dispose();

        Tensor result;
        if (reduction == Reduction.None)
        {
            result = Tensor.Empty(batch);
            var rs = result.AsSpan();
            for (int i = 0; i < batch; i++) rs[i] = (float)perSample[i];
        }
        else
        {
            double total = 0;
            foreach (var l in perSample) total += l;
            result = Tensor.Scalar((float)(reduction == Reduction.Mean ? total / batch : total));
        }

        if (!Autograd.NeedsGrad(logits))
        {
            probabilities.Dispose();
            return result;
        }
        var targetCopy = t.ToArray();
        return Autograd.Record(result, [logits], g =>
        {
            var gs = g.AsReadOnlySpan();
            var dx = Tensor.Empty(batch, classes);
            var ds = dx.AsSpan();
            var prob = probabilities.AsReadOnlySpan();
            float uniform = (float)(smooth / classes), hit = (float)onTarget;
            for (int i = 0; i < batch; i++)
            {
                float scale = reduction switch
                {
                    Reduction.None => gs[i],
                    Reduction.Mean => gs[0] / batch,
                    _ => gs[0],
                };
                int target = (int)targetCopy[i];
                for (int c = 0; c < classes; c++)
                {
                    float q = uniform + (c == target ? hit : 0f);
                    ds[i * classes + c] = scale * (prob[i * classes + c] - q);
                }
            }
            logits.AccumulateGrad(dx);
        }, "CrossEntropy");
    }
}
