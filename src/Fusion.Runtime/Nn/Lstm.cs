using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using static Fusion.Runtime.Nn.RecurrentKernels;

namespace Fusion.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.LSTM(input_size, hidden_size, num_layers, bias=True, batch_first=True, dropout, bidirectional)</c>.
/// Gates i, f, g, o in that order in every weight: i = σ(.), f = σ(.), g = tanh(.), o = σ(.) of
/// W_i* x + b_i* + W_h* h + b_h*; c' = f * c + i * g, h' = o * tanh(c'); initial h and c are zero.
/// Keys, initialisation, layers, dropout and lengths as described on <see cref="Recurrent"/>.
/// </summary>
public sealed class Lstm(int inputSize, int hiddenSize, RandomSource generator, int numLayers = 1, bool bidirectional = false, float dropout = 0f)
    : Recurrent(inputSize, hiddenSize, 4, generator, numLayers, bidirectional, dropout)
{
    /// <summary>
    /// <paramref name="input"/> <c>[B, N, InputSize]</c>, <paramref name="lengths"/> <c>[B]</c> or null (all steps valid),
    /// initial states h_0 and c_0 <c>[layers*D, B, H]</c> or null (zeros).
    /// Output <c>[B, N, D*H]</c> (zero at padded steps), h_n and c_n <c>[layers*D, B, H]</c> (forward: the
    /// states at step length - 1; reverse: after step 0).
    /// </summary>
    public (Tensor Output, Tensor HiddenState, Tensor CellState) Forward(Tensor input, LongTensor? lengths = null,
        Tensor? initialHidden = null, Tensor? initialCell = null)
    {
        var (output, states) = Run(input, lengths, initialHidden, initialCell);
        return (output, states[0], states[1]);
    }

    private protected override int StateCount => 2;

    private protected override Tensor RunDirection(Tensor input, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh,
        int[] lengths, bool reverse, Tensor?[] initial)
    {
        Tensor? h0 = initial[0], c0 = initial[1];
        int batch = input.Size(0), steps = input.Size(1), h = HiddenSize, gh = 4 * h, bh = batch * h, width = steps + 2;
        var xp = InputProjection(input, weightIh, biasIh);                 // [B, N, 4H]
        var states = Tensor.Zeros(steps + 1, batch, h);                    // h before step s, step-major
        var cells = Tensor.Zeros(steps + 1, batch, h);                     // c before step s
        h0?.AsReadOnlySpan().CopyTo(states.AsSpan()[..bh]);
        c0?.AsReadOnlySpan().CopyTo(cells.AsSpan()[..bh]);
        var saved = Tensor.Empty(steps, batch, 5 * h);                     // i, f, g, o, tanh(c') per step
        var hp = Tensor.Empty(batch, gh);
        var result = Tensor.Zeros(batch, width, h);                        // outputs, h_n, c_n
        var xps = xp.AsReadOnlySpan();
        var st = states.AsSpan();
        var cs = cells.AsSpan();
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
            var cPrevAll = cs.Slice(s * bh, bh);
            var cNextAll = cs.Slice((s + 1) * bh, bh);
            if (!AnyActive(lengths, t))
            {
                prev.CopyTo(next);
                cPrevAll.CopyTo(cNextAll);
                continue;
            }
            HiddenProjection(prev, whh, bhh, hps, batch, h);
            for (int b = 0; b < batch; b++)
            {
                var hNext = next.Slice(b * h, h);
                var cPrev = cPrevAll.Slice(b * h, h);
                var cNext = cNextAll.Slice(b * h, h);
                if (t >= lengths[b])
                {
                    prev.Slice(b * h, h).CopyTo(hNext);
                    cPrev.CopyTo(cNext);
                    continue;
                }
                var gates = sv.Slice((s * batch + b) * 5 * h, 5 * h);
                var pre = gates[..gh];
                TensorPrimitives.Add(xps.Slice((b * steps + t) * gh, gh), hps.Slice(b * gh, gh), pre);
                TensorPrimitives.Sigmoid(pre[..(2 * h)], pre[..(2 * h)]);
                TensorPrimitives.Tanh(pre.Slice(2 * h, h), pre.Slice(2 * h, h));
                TensorPrimitives.Sigmoid(pre.Slice(3 * h, h), pre.Slice(3 * h, h));
                var ig = gates[..h];
                var fg = gates.Slice(h, h);
                var gg = gates.Slice(2 * h, h);
                var og = gates.Slice(3 * h, h);
                var tc = gates.Slice(4 * h, h);
                TensorPrimitives.Multiply(fg, cPrev, cNext);                 // c' = f c + i g
                TensorPrimitives.FusedMultiplyAdd(ig, gg, cNext, cNext);
                TensorPrimitives.Tanh(cNext, tc);
                TensorPrimitives.Multiply(og, tc, hNext);                    // h' = o tanh(c')
                hNext.CopyTo(res.Slice((b * width + t) * h, h));
            }
        }
        for (int b = 0; b < batch; b++)
        {
            st.Slice(steps * bh + b * h, h).CopyTo(res.Slice((b * width + steps) * h, h));
            cs.Slice(steps * bh + b * h, h).CopyTo(res.Slice((b * width + steps + 1) * h, h));
        }

        var inputList = new List<Tensor>(7) { input, weightIh, weightHh, biasIh, biasHh };
        if (h0 is not null) inputList.Add(h0);
        if (c0 is not null) inputList.Add(c0);
        Tensor[] inputs = inputList.ToArray();
        xp.Dispose();
        hp.Dispose();
        if (!Autograd.NeedsGrad(inputs))
        {
            states.Dispose();
            cells.Dispose();
            saved.Dispose();
            return result;
        }
        return Autograd.Record(result, inputs, g =>
        {
            var gs = g.AsReadOnlySpan();
            var dh = Tensor.Empty(batch, h);
            var dc = Tensor.Empty(batch, h);
            var dhs = dh.AsSpan();
            var dcs = dc.AsSpan();
            for (int b = 0; b < batch; b++)
            {
                gs.Slice((b * width + steps) * h, h).CopyTo(dhs.Slice(b * h, h));
                gs.Slice((b * width + steps + 1) * h, h).CopyTo(dcs.Slice(b * h, h));
            }
            var dxp = Tensor.Zeros(batch * steps, gh);
            var dhp = Tensor.Zeros(steps * batch, gh);
            var dxps = dxp.AsSpan();
            var dhps = dhp.AsSpan();
            var stRead = states.AsReadOnlySpan();
            var csRead = cells.AsReadOnlySpan();
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
                    TensorPrimitives.Add(dhb, gs.Slice((b * width + t) * h, h), dhb);
                    var dhpRow = dhps.Slice((s * batch + b) * gh, gh);
                    CellBackward(svRead.Slice((s * batch + b) * 5 * h, 5 * h), csRead.Slice(s * bh + b * h, h), dhb, dcs.Slice(b * h, h), dhpRow, h);
                    dhpRow.CopyTo(dxps.Slice((b * steps + t) * gh, gh));
                }
                HiddenGradient(dhps.Slice(s * batch * gh, batch * gh), whhRead, dhs, batch, h);
            }
            ParameterGradients(input, weightIh, weightHh, biasIh, biasHh, dxps, dhps, stRead[..(steps * bh)], batch * steps, h);
            h0?.AccumulateGrad(dhs);                                       // what reaches the states before step 0
            c0?.AccumulateGrad(dcs);
        }, reverse ? "LstmReverse" : "Lstm");
    }

    /// <summary>
    /// One sample at one step: from dL/dh' and dL/dc' the pre-activation gradients of the four gates
    /// (the same for the input and the hidden projection), then dL/dc = dc' f and dL/dh = 0 (the caller's
    /// GEMM adds the W_hh part).
    /// </summary>
    private static void CellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, Span<float> dh, Span<float> dc, Span<float> dpre, int h)
    {
        var ig = gates[..h];
        var fg = gates.Slice(h, h);
        var gg = gates.Slice(2 * h, h);
        var og = gates.Slice(3 * h, h);
        var tc = gates.Slice(4 * h, h);
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<float>.One;
            for (; k <= h - 16; k += 16)
            {
                var vi = Load(ig, k);
                var vf = Load(fg, k);
                var vg = Load(gg, k);
                var vo = Load(og, k);
                var vtc = Load(tc, k);
                var vdh = Load(dh, k);
                var vdc = Load(dc, k) + vdh * vo * (one - vtc * vtc);
                Store(vdc * vg * vi * (one - vi), dpre, k);
                Store(vdc * Load(cPrev, k) * vf * (one - vf), dpre, h + k);
                Store(vdc * vi * (one - vg * vg), dpre, 2 * h + k);
                Store(vdh * vtc * vo * (one - vo), dpre, 3 * h + k);
                Store(vdc * vf, dc, k);
                Store(Vector512<float>.Zero, dh, k);
            }
        }
        for (; k < h; k++)
        {
            float vi = ig[k], vf = fg[k], vg = gg[k], vo = og[k], vtc = tc[k], vdh = dh[k];
            float vdc = dc[k] + vdh * vo * (1f - vtc * vtc);
            dpre[k] = vdc * vg * vi * (1f - vi);
            dpre[h + k] = vdc * cPrev[k] * vf * (1f - vf);
            dpre[2 * h + k] = vdc * vi * (1f - vg * vg);
            dpre[3 * h + k] = vdh * vtc * vo * (1f - vo);
            dc[k] = vdc * vf;
            dh[k] = 0f;
        }
    }
}
