using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Fusion.Runtime.Kernels;

namespace Fusion.Runtime.Nn;

/// <summary>
/// The GEMMs every recurrent layer-direction shares. Buffers are batch-major <c>[B, N, .]</c> for
/// anything indexed by input step, step-major <c>[N, B, .]</c> for anything indexed by processing
/// step s (the forward direction reads step s at time s, the reverse one at time N - 1 - s).
/// </summary>
internal static class RecurrentKernels
{
    /// <summary>The time index processed at step <paramref name="s"/>.</summary>
    public static int Time(int s, int steps, bool reverse) => reverse ? steps - 1 - s : s;

    /// <summary>Whether some sample is still active (not padding) at time <paramref name="t"/>.</summary>
    public static bool AnyActive(int[] lengths, int t)
    {
        foreach (int l in lengths) if (t < l) return true;
        return false;
    }

    /// <summary>x W_ih^T + b_ih for every step at once: <c>[B, N, G*H]</c> (one GEMM).</summary>
    public static Tensor InputProjection(Tensor input, Tensor weightIh, Tensor biasIh)
    {
        using var _ = Autograd.NoGrad();
        return Tensor.Linear(input, weightIh, biasIh);
    }

    /// <summary>hp = h W_hh^T + b_hh for one step: <c>[B, H] x [H, G*H]</c> (one GEMM).</summary>
    public static void HiddenProjection(ReadOnlySpan<float> h, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasHh,
        Span<float> hp, int batch, int hidden)
    {
        int gh = biasHh.Length;
        for (int b = 0; b < batch; b++) biasHh.CopyTo(hp.Slice(b * gh, gh));
        Gemm.Multiply(false, true, batch, gh, hidden, 1f, h, hidden, weightHh, hidden, 1f, hp, gh);
    }

    /// <summary>dh += dHP W_hh: the recurrent part of the gradient reaching the previous state.</summary>
    public static void HiddenGradient(ReadOnlySpan<float> dhp, ReadOnlySpan<float> weightHh, Span<float> dh, int batch, int hidden)
    {
        int gh = weightHh.Length / hidden;
        Gemm.Multiply(false, false, batch, hidden, gh, 1f, dhp, gh, weightHh, hidden, 1f, dh, hidden);
    }

    /// <summary>
    /// After the time loop: dW_ih = dXP^T x, db_ih = sum dXP, dx = dXP W_ih (dXP batch-major <c>[B*N, G*H]</c>),
    /// dW_hh = dHP^T h_prev, db_hh = sum dHP (dHP and the previous states step-major, <c>[N*B, .]</c>).
    /// Each is one GEMM over all steps.
    /// </summary>
    public static void ParameterGradients(Tensor input, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh,
        ReadOnlySpan<float> dxp, ReadOnlySpan<float> dhp, ReadOnlySpan<float> previousStates, int rows, int hidden)
    {
        int gh = biasIh.Numel, inputs = weightIh.Size(1);
        if (weightIh.RequiresGrad)
        {
            var dw = Tensor.Empty(gh, inputs);
            Gemm.Multiply(true, false, gh, inputs, rows, 1f, dxp, gh, input.AsReadOnlySpan(), inputs, 0f, dw.AsSpan(), inputs);
            weightIh.AccumulateGrad(dw.AsReadOnlySpan());
        }
        if (weightHh.RequiresGrad)
        {
            var dw = Tensor.Empty(gh, hidden);
            Gemm.Multiply(true, false, gh, hidden, rows, 1f, dhp, gh, previousStates, hidden, 0f, dw.AsSpan(), hidden);
            weightHh.AccumulateGrad(dw.AsReadOnlySpan());
        }
        if (biasIh.RequiresGrad) biasIh.AccumulateGrad(ColumnSums(dxp, rows, gh));
        if (biasHh.RequiresGrad) biasHh.AccumulateGrad(ColumnSums(dhp, rows, gh));
        if (input.RequiresGrad)
        {
            var dx = Tensor.Empty(rows, inputs);
            Gemm.Multiply(false, false, rows, inputs, gh, 1f, dxp, gh, weightIh.AsReadOnlySpan(), inputs, 0f, dx.AsSpan(), inputs);
            input.AccumulateGrad(dx.AsReadOnlySpan());
        }
    }

    /// <summary>16 floats from <paramref name="values"/> at <paramref name="index"/> (the caller keeps index + 16 within the span).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ReadOnlySpan<float> values, int index) =>
        Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(values), (nuint)index);

    /// <summary>Writes 16 floats at <paramref name="index"/> (the caller keeps index + 16 within the span).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, Span<float> values, int index) =>
        value.StoreUnsafe(ref MemoryMarshal.GetReference(values), (nuint)index);

    private static ReadOnlySpan<float> ColumnSums(ReadOnlySpan<float> values, int rows, int cols)
    {
        var sums = Tensor.Zeros(cols);
        var s = sums.AsSpan();
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(s, values.Slice(r * cols, cols), s);
        return s;
    }
}
