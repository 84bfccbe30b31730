using Fusion.Runtime.Losses;

namespace Fusion.Runtime.Tests;

/// <summary>
/// <see cref="Loss.Sinkhorn"/> with sequence lengths: each sample is transported as its unpadded point
/// sets, so whatever the padded points hold changes neither the loss nor the gradients of the valid
/// points, and the padded points receive no gradient.
/// </summary>
public class SinkhornLengthsTests
{
    private static readonly int[] XLengths = [3, 1, 4];
    private static readonly int[] YLengths = [2, 5, 5];

    [Fact]
    public void Loss_and_gradients_are_those_of_the_unpadded_samples()
    {
        var (x, y) = Padded(garbage: 100f);
        var loss = Loss.Sinkhorn(x, y, eps: 0.3f, iterations: 25, xLengths: LongTensor.FromArray(XLengths, 3), yLengths: LongTensor.FromArray(YLengths, 3));
        loss.Backward();

        double expected = 0;
        for (int b = 0; b < 3; b++)
        {
            using var xb = x.Detach();
            using var yb = y.Detach();
            var xs = xb.Select(0, b).Slice(0, 0, XLengths[b]).Contiguous().SetRequiresGrad();
            var ys = yb.Select(0, b).Slice(0, 0, YLengths[b]).Contiguous().SetRequiresGrad();
            var sample = Loss.Sinkhorn(xs, ys, eps: 0.3f, iterations: 25, logDomain: true);
            (sample * (1f / 3)).Backward();
            expected += sample.Item() / 3;
            AssertGradients(x.Grad!, b, XLengths[b], xs.Grad!);
            AssertGradients(y.Grad!, b, YLengths[b], ys.Grad!);
        }

        Assert.Equal(expected, loss.Item(), 1e-4 * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void Garbage_past_the_lengths_changes_nothing()
    {
        var (x1, y1) = Padded(garbage: 0f);
        var (x2, y2) = Padded(garbage: 50f);
        var xl = LongTensor.FromArray(XLengths, 3);
        var yl = LongTensor.FromArray(YLengths, 3);
        float clean = Loss.Sinkhorn(x1, y1, 0.3f, 25, xLengths: xl, yLengths: yl).Item();
        float dirty = Loss.Sinkhorn(x2, y2, 0.3f, 25, xLengths: xl, yLengths: yl).Item();
        Assert.Equal(clean, dirty, 1e-5f);
        Assert.NotEqual(clean, Loss.Sinkhorn(x2, y2, 0.3f, 25, logDomain: true).Item(), 1e-3f);
    }

    [Fact]
    public void A_length_outside_one_to_the_steps_is_refused()
    {
        var (x, y) = Padded(garbage: 0f);
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.Sinkhorn(x, y, 0.3f, 5, xLengths: LongTensor.FromArray(new[] { 3, 0, 4 }, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.Sinkhorn(x, y, 0.3f, 5, yLengths: LongTensor.FromArray(new[] { 2, 6, 5 }, 3)));
    }

    /// <summary>x [3, 4, 2] and y [3, 5, 2]: fixed valid points, <paramref name="garbage"/> times N(0, 1) past the lengths; both require gradients.</summary>
    private static (Tensor X, Tensor Y) Padded(float garbage)
    {
        static float[] Points(int batch, int steps, int[] lengths, int salt, float garbage)
        {
            var random = new RandomSource((ulong)salt);
            var values = new float[batch * steps * 2];
            random.FillNormal(values);
            for (int b = 0; b < batch; b++)
            {
                for (int t = 0; t < steps; t++)
                {
                    for (int j = 0; j < 2; j++)
                    {
                        int i = (b * steps + t) * 2 + j;
                        values[i] = t < lengths[b] ? (float)Math.Sin(1.3 * b + 0.7 * t + 2.1 * j + salt) : values[i] * garbage;
                    }
                }
            }

            return values;
        }

        return (Tensor.FromArray(Points(3, 4, XLengths, 1, garbage), 3, 4, 2).SetRequiresGrad(),
            Tensor.FromArray(Points(3, 5, YLengths, 2, garbage), 3, 5, 2).SetRequiresGrad());
    }

    /// <summary>Sample <paramref name="b"/>'s rows of <paramref name="grad"/> <c>[B, N, 2]</c>: the valid ones equal <paramref name="expected"/>, the padded ones are 0.</summary>
    private static void AssertGradients(Tensor grad, int b, int length, Tensor expected)
    {
        var all = grad.ToArray();
        var valid = expected.ToArray();
        int steps = grad.Size(1);
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < 2; j++)
            {
                float actual = all[(b * steps + t) * 2 + j];
                if (t < length) Assert.True(Math.Abs(actual - valid[t * 2 + j]) <= 1e-4f, $"sample {b}, step {t}: gradient {actual}, unpadded {valid[t * 2 + j]}");
                else Assert.Equal(0f, actual);
            }
        }
    }
}
