using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using static Fusion.Runtime.Nn.RecurrentKernels;

namespace Fusion.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.GRU(input_size, hidden_size, num_layers, bias=True, batch_first=True, dropout, bidirectional)</c>.
/// Gates r, z, n in that order in every weight: r = σ(W_ir x + b_ir + W_hr h + b_hr),
/// z = σ(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
/// h' = (1 - z) * n + z * h; the initial state is zero. Keys, initialisation, layers, dropout and
/// lengths as described on <see cref="Recurrent"/>.
/// </summary>
public sealed class Gru(int inputSize, int hiddenSize, RandomSource generator, int numLayers = 1, bool bidirectional = false, float dropout = 0f)
    : Recurrent(inputSize, hiddenSize, 3, generator, numLayers, bidirectional, dropout)
{
    /// <summary>
    /// <paramref name="input"/> <c>[B, N, InputSize]</c>, <paramref name="lengths"/> <c>[B]</c> or null (all steps valid),
    /// <paramref name="initialState"/> h_0 <c>[layers*D, B, H]</c> or null (zeros).
    /// Output <c>[B, N, D*H]</c> (directions concatenated, zero at padded steps) and h_n <c>[layers*D, B, H]</c>
    /// (forward: the state at step length - 1; reverse: the state after step 0).
    /// </summary>
    public (Tensor Output, Tensor HiddenState) Forward(Tensor input, LongTensor? lengths = null, Tensor? initialState = null)
    {
        var (output, states) = Run(input, lengths, initialState);
        return (output, states[0]);
    }

    private protected override int StateCount => 1;

    private protected override Tensor RunDirection(Tensor input, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh,
        int[] lengths, bool reverse, Tensor?[] initial)
    {
        var h0 = initial[0];
        int batch = input.Size(0), steps = input.Size(1), h = HiddenSize, gh = 3 * h, bh = batch * h;
        var xp = InputProjection(input, weightIh, biasIh);                 // [B, N, 3H]
        var states = Tensor.Zeros(steps + 1, batch, h);                    // state before step s, step-major
        h0?.AsReadOnlySpan().CopyTo(states.AsSpan()[..bh]);
        var saved = Tensor.Empty(steps, batch, 4 * h);                     // r, z, n, W_hn h + b_hn per step
        var hp = Tensor.Empty(batch, gh);
        var result = Tensor.Zeros(batch, steps + 1, h);
        var xps = xp.AsReadOnlySpan();
        var st = states.AsSpan();
        var sv = saved.AsSpan();
        var hps = hp.AsSpan();
        var res = result.AsSpan();
        var whh = weightHh.AsReadOnlySpan();
        var bhh = biasHh.AsReadOnlySpan();

        for (int s = 0; s < steps; s++)
        {
            int t = Time(s, steps, reverse);
            var prev = st.Slice(s * bh, bh);
            var next = st.Slice((s + 1) * bh, bh);
            if (!AnyActive(lengths, t)) { prev.CopyTo(next); continue; }
            HiddenProjection(prev, whh, bhh, hps, batch, h);
            for (int b = 0; b < batch; b++)
            {
                var hPrev = prev.Slice(b * h, h);
                var hNext = next.Slice(b * h, h);
                if (t >= lengths[b]) { hPrev.CopyTo(hNext); continue; }
                var x = xps.Slice((b * steps + t) * gh, gh);
                var hr = hps.Slice(b * gh, gh);
                var gates = sv.Slice((s * batch + b) * 4 * h, 4 * h);
                var rz = gates[..(2 * h)];
                var r = gates[..h];
                var z = gates.Slice(h, h);
                var n = gates.Slice(2 * h, h);
                var hn = gates.Slice(3 * h, h);
                TensorPrimitives.Add(x[..(2 * h)], hr[..(2 * h)], rz);
                TensorPrimitives.Sigmoid(rz, rz);
                hr.Slice(2 * h, h).CopyTo(hn);
                TensorPrimitives.FusedMultiplyAdd(r, hn, x.Slice(2 * h, h), n);
                TensorPrimitives.Tanh(n, n);
                TensorPrimitives.Subtract(hPrev, n, hNext);                // h' = z (h - n) + n
                TensorPrimitives.FusedMultiplyAdd(z, hNext, n, hNext);
                hNext.CopyTo(res.Slice((b * (steps + 1) + t) * h, h));
            }
        }
        for (int b = 0; b < batch; b++) st.Slice(steps * bh + b * h, h).CopyTo(res.Slice((b * (steps + 1) + steps) * h, h));

        Tensor[] inputs = h0 is null ? [input, weightIh, weightHh, biasIh, biasHh] : [input, weightIh, weightHh, biasIh, biasHh, h0];
        xp.Dispose();
        hp.Dispose();
        if (!Autograd.NeedsGrad(inputs))
        {
            states.Dispose();
            saved.Dispose();
            return result;
        }
        return Autograd.Record(result, inputs, g =>
        {
            var gs = g.AsReadOnlySpan();
            var dh = Tensor.Empty(batch, h);
            var dhs = dh.AsSpan();
            for (int b = 0; b < batch; b++) gs.Slice((b * (steps + 1) + steps) * h, h).CopyTo(dhs.Slice(b * h, h));
            var dxp = Tensor.Zeros(batch * steps, gh);
            var dhp = Tensor.Zeros(steps * batch, gh);
            var dxps = dxp.AsSpan();
            var dhps = dhp.AsSpan();
            var stRead = states.AsReadOnlySpan();
            var svRead = saved.AsReadOnlySpan();
            var whhRead = weightHh.AsReadOnlySpan();
            for (int s = steps - 1; s >= 0; s--)
            {
                int t = Time(s, steps, reverse);
                if (!AnyActive(lengths, t)) continue;
                for (int b = 0; b < batch; b++)
                {
                    if (t >= lengths[b]) continue;
                    var dhb = dhs.Slice(b * h, h);
                    TensorPrimitives.Add(dhb, gs.Slice((b * (steps + 1) + t) * h, h), dhb);
                    CellBackward(svRead.Slice((s * batch + b) * 4 * h, 4 * h), stRead.Slice(s * bh + b * h, h), dhb,
                        dxps.Slice((b * steps + t) * gh, gh), dhps.Slice((s * batch + b) * gh, gh), h);
                }
                HiddenGradient(dhps.Slice(s * batch * gh, batch * gh), whhRead, dhs, batch, h);
            }
            ParameterGradients(input, weightIh, weightHh, biasIh, biasHh, dxps, dhps, stRead[..(steps * bh)], batch * steps, h);
            h0?.AccumulateGrad(dhs);                                       // what reaches the state before step 0
        }, reverse ? "GruReverse" : "Gru");
    }

    /// <summary>
    /// One sample at one step: from dL/dh' (in <paramref name="dh"/>) the pre-activation gradients of the
    /// input projection (r, z, n) and of the hidden projection (r, z, r * dn), and dL/dh through z * h
    /// (written back to <paramref name="dh"/>; the W_hh part is added by the caller's GEMM).
    /// </summary>
    private static void CellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> hPrev, Span<float> dh, Span<float> dxp, Span<float> dhp, int h)
    {
        var r = gates[..h];
        var z = gates.Slice(h, h);
        var n = gates.Slice(2 * h, h);
        var hn = gates.Slice(3 * h, h);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<float>.One;
            for (; i <= h - 16; i += 16)
            {
                var vr = Load(r, i);
                var vz = Load(z, i);
                var vn = Load(n, i);
                var vdh = Load(dh, i);
                var dnPre = vdh * (one - vz) * (one - vn * vn);
                var dzPre = vdh * (Load(hPrev, i) - vn) * vz * (one - vz);
                var drPre = dnPre * Load(hn, i) * vr * (one - vr);
                Store(drPre, dxp, i);
                Store(dzPre, dxp, h + i);
                Store(dnPre, dxp, 2 * h + i);
                Store(drPre, dhp, i);
                Store(dzPre, dhp, h + i);
                Store(dnPre * vr, dhp, 2 * h + i);
                Store(vdh * vz, dh, i);
            }
        }
        for (; i < h; i++)
        {
            float vr = r[i], vz = z[i], vn = n[i], vdh = dh[i];
            float dnPre = vdh * (1f - vz) * (1f - vn * vn);
            float dzPre = vdh * (hPrev[i] - vn) * vz * (1f - vz);
            float drPre = dnPre * hn[i] * vr * (1f - vr);
            dxp[i] = drPre;
            dxp[h + i] = dzPre;
            dxp[2 * h + i] = dnPre;
            dhp[i] = drPre;
            dhp[h + i] = dzPre;
            dhp[2 * h + i] = dnPre * vr;
            dh[i] = vdh * vz;
        }
    }
}
