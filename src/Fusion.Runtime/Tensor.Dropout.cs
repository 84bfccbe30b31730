using System.Numerics.Tensors;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// Inverted dropout (PyTorch's <c>F.dropout</c>): in training each element is zeroed with
    /// probability <paramref name="p"/> and the survivors are scaled by 1 / (1 - p), so the
    /// expectation is unchanged; the mask is drawn from <paramref name="generator"/>. In evaluation
    /// or with p = 0 the input itself is returned (identity). p = 1 gives zeros.
    /// </summary>
    public static Tensor Dropout(Tensor x, float p, bool training, RandomSource generator)
    {
        if (!(p >= 0f && p <= 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1].");
        if (!training || p == 0f) return x;
        // The mask holds 0 or 1 / (1 - p): y = x * mask, dx = g * mask.
        var mask = Allocate((int[])x.shape.Clone());
        var m = mask.Buffer.AsSpan(0, mask.numel);
        if (p == 1f) m.Clear();
        else
        {
            float keep = 1f / (1f - p);
            for (int i = 0; i < m.Length; i++) m[i] = generator.NextFloat() < p ? 0f : keep;
        }
        var xc = x.Contiguous();
        var result = Allocate((int[])x.shape.Clone());
        TensorPrimitives.Multiply(xc.AsReadOnlySpan(), m, result.Buffer.AsSpan(0, result.numel));
        return Autograd.Record(result, [xc], g =>
        {
            var dx = Allocate((int[])g.shape.Clone());
            TensorPrimitives.Multiply(g.AsReadOnlySpan(), mask.AsReadOnlySpan(), dx.AsSpan());
            xc.AccumulateGrad(dx.AsReadOnlySpan());
        }, "Dropout");
    }

    /// <summary>Inverted dropout; see <see cref="Dropout(Tensor, float, bool, RandomSource)"/>.</summary>
    public Tensor Dropout(float p, bool training, RandomSource generator) => Dropout(this, p, training, generator);
}
