using Fusion.Runtime.Compute;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// The spec's <c>pool</c> op. A sequence <c>[B, N, d]</c> pools over its steps to <c>[B, d]</c>
/// honouring per-sample lengths <c>[B]</c> (null: every step is valid): mean over the first
/// <c>len</c> steps, max / min over them, the first step, or the last valid step (<c>len - 1</c>).
/// Padded steps never change the result nor receive a gradient. A sample of length 0 pools to
/// zeros. An image <c>[B, C, H, W]</c> pools over its pixels to <c>[B, C]</c> (mean, max, min).
/// No parameters.
/// </summary>
public sealed class SequencePool(PoolMode mode) : Module
{
    public PoolMode Mode { get; } = mode;

    public Tensor Forward(Tensor input, LongTensor? lengths = null)
    {
        if (input.Rank == 4)
        {
            if (lengths is not null) throw new ArgumentException("SequencePool: an image has no lengths.");
            return PoolImage(input);
        }

        if (input.Rank != 3) throw new ArgumentException($"SequencePool expects a sequence [B, N, d] or an image [B, C, H, W]; got {Layout.Format(input.Shape)}.");
        int batch = input.Size(0), steps = input.Size(1);
        if (lengths is null) return PoolFull(input);
        var lens = CheckLengths(lengths, batch, steps);
        switch (Mode)
        {
            case PoolMode.First:
            case PoolMode.Last:
            {
                int width = input.Size(2);
                var index = new long[batch * width];
                for (int b = 0; b < batch; b++) index.AsSpan(b * width, width).Fill(Mode == PoolMode.First ? 0 : Math.Max(lens[b] - 1, 0));
                var picked = input.Gather(1, LongTensor.FromArray(index, batch, 1, width)).Squeeze(1);
                return ZeroEmpty(picked, lens);
            }
            case PoolMode.Mean:
            {
                var valid = ValidMask(lens, steps);                                     // [B, N, 1]
                var count = Tensor.FromArray(lens.Select(l => (float)Math.Max(l, 1)).ToArray(), batch, 1);
                return (input * valid).Sum(1) / count;
            }
            default:
            {
                var padded = ValidMask(lens, steps).Eq(0f);                             // [B, N, 1]
                float fill = Mode == PoolMode.Max ? float.NegativeInfinity : float.PositiveInfinity;
                var masked = input.MaskedFill(padded, fill);
                var reduced = Mode == PoolMode.Max ? masked.Max(1) : masked.Min(1);
                return ZeroEmpty(reduced, lens);
            }
        }
    }

    private Tensor PoolFull(Tensor x) => Mode switch
    {
        PoolMode.Mean => x.Mean(1),
        PoolMode.Max => x.Max(1),
        PoolMode.Min => x.Min(1),
        PoolMode.First => x.Select(1, 0),
        _ => x.Select(1, x.Size(1) - 1),
    };

    private Tensor PoolImage(Tensor x) => Mode switch
    {
        PoolMode.Mean => x.Mean([2, 3]),
        PoolMode.Max => x.Max([2, 3]),
        PoolMode.Min => x.Min([2, 3]),
        _ => throw new ArgumentException($"SequencePool: mode {Mode} needs a sequence, not an image."),
    };

    private static int[] CheckLengths(LongTensor lengths, int batch, int steps)
    {
        if (lengths.Rank != 1 || lengths.Size(0) != batch)
            throw new ArgumentException($"SequencePool: lengths must be [{batch}]; got {Layout.Format(lengths.Shape)}.");
        var lens = new int[batch];
        var span = lengths.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            if (span[b] < 0 || span[b] > steps) throw new ArgumentOutOfRangeException(nameof(lengths), span[b], $"Length of sample {b} is outside [0, {steps}].");
            lens[b] = (int)span[b];
        }

        return lens;
    }

    /// <summary>1 for the valid steps of each sample, 0 for padding: <c>[B, N, 1]</c>.</summary>
    private static Tensor ValidMask(int[] lens, int steps)
    {
        var mask = new float[lens.Length * steps];
        for (int b = 0; b < lens.Length; b++) mask.AsSpan(b * steps, lens[b]).Fill(1f);
        return Tensor.FromArray(mask, lens.Length, steps, 1);
    }

    private static Tensor ZeroEmpty(Tensor pooled, int[] lens)
    {
        if (Array.TrueForAll(lens, l => l > 0)) return pooled;
        var nonEmpty = Tensor.FromArray(lens.Select(l => l > 0 ? 1f : 0f).ToArray(), lens.Length, 1);
        return Tensor.Where(nonEmpty, pooled, Tensor.Zeros(1));
    }
}
