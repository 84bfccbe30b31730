using System.Text.Json;
using Fusion.Runtime.Nn;
using static Fusion.Runtime.Tests.SequenceOpsAssert;

namespace Fusion.Runtime.Tests;

/// <summary>
/// GRU and LSTM: PyTorch's keys and initialisation, a direct scalar implementation of the gate
/// equations, finite-difference gradients of every parameter and the input (2 layers, bidirectional,
/// mixed lengths), invariance to padding, dropout between layers, and parity with torch 1.13 on packed
/// sequences.
/// </summary>
public class RecurrentTests
{
    private static Recurrent Make(bool lstm, int input, int hidden, ulong seed, int layers = 1, bool bidirectional = false, float dropout = 0f) =>
        lstm ? new Lstm(input, hidden, new RandomSource(seed), layers, bidirectional, dropout)
             : new Gru(input, hidden, new RandomSource(seed), layers, bidirectional, dropout);

    /// <summary>Output, h_n and (LSTM) c_n, from zero or the given initial states.</summary>
    private static Tensor[] Run(Recurrent model, Tensor x, LongTensor? lengths, Tensor? h0 = null, Tensor? c0 = null) => model switch
    {
        Gru gru => gru.Forward(x, lengths, h0) is var (y, h) ? [y, h] : throw new InvalidOperationException(),
        Lstm lstm => lstm.Forward(x, lengths, h0, c0) is var (y, h, c) ? [y, h, c] : throw new InvalidOperationException(),
        _ => throw new ArgumentException(model.GetType().Name),
    };

    private static Tensor Flat(Tensor[] parts) => Tensor.Concat(parts.Select(p => p.Reshape(-1)).ToArray(), 0);

    /// <summary>A batch whose steps at and after each length hold garbage (large values).</summary>
    private static Tensor Padded(ulong seed, int batch, int steps, int width, int[] lengths, int validSteps)
    {
        var x = Values(seed, batch * steps * width);
        var garbage = Values(seed + 1000, batch * steps * width, 50f);
        for (int b = 0; b < batch; b++)
            for (int t = Math.Min(lengths[b], validSteps); t < steps; t++)
                for (int c = 0; c < width; c++) x[(b * steps + t) * width + c] = garbage[(b * steps + t) * width + c];
        return Tensor.FromArray(x, batch, steps, width);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeysShapesAndInitialisationFollowPyTorch(bool lstm)
    {
        var model = Make(lstm, 5, 4, 1, layers: 2, bidirectional: true);
        int g = lstm ? 16 : 12;
        var expected = new List<(string, int[])>();
        for (int layer = 0; layer < 2; layer++)
            foreach (var suffix in new[] { "", "_reverse" })
            {
                int input = layer == 0 ? 5 : 8;
                expected.Add(($"weight_ih_l{layer}{suffix}", [g, input]));
                expected.Add(($"weight_hh_l{layer}{suffix}", [g, 4]));
                expected.Add(($"bias_ih_l{layer}{suffix}", [g]));
                expected.Add(($"bias_hh_l{layer}{suffix}", [g]));
            }
        var actual = model.StateDict().Select(kv => (kv.Key, kv.Value.Shape.ToArray())).ToList();
        Assert.Equal(expected.Select(e => e.Item1), actual.Select(a => a.Key));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Item2, actual[i].Item2);
        var all = model.Parameters().SelectMany(p => p.ToArray()).ToArray();
        Assert.All(all, v => Assert.InRange(v, -0.5f, 0.5f));                 // 1 / sqrt(4)
        Assert.True(all.Max() > 0.45f && all.Min() < -0.45f, "the values do not fill U(-1/sqrt(H), 1/sqrt(H))");
    }

    /// <summary>The gate equations written out per element in double, one layer, one direction.</summary>
    private static (double[] Out, double[] H, double[] C) Reference(bool lstm, float[] x, int batch, int steps, int inputs, int hidden,
        int[] lengths, float[] wih, float[] whh, float[] bih, float[] bhh, bool reverse)
    {
        int gates = lstm ? 4 : 3;
        var output = new double[batch * steps * hidden];
        var hOut = new double[batch * hidden];
        var cOut = new double[batch * hidden];
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        for (int b = 0; b < batch; b++)
        {
            var h = new double[hidden];
            var c = new double[hidden];
            for (int s = 0; s < lengths[b]; s++)
            {
                int t = reverse ? lengths[b] - 1 - s : s;
                var gi = new double[gates * hidden];
                var gh = new double[gates * hidden];
                for (int r = 0; r < gates * hidden; r++)
                {
                    gi[r] = bih[r];
                    gh[r] = bhh[r];
                    for (int k = 0; k < inputs; k++) gi[r] += wih[r * inputs + k] * x[(b * steps + t) * inputs + k];
                    for (int k = 0; k < hidden; k++) gh[r] += whh[r * hidden + k] * h[k];
                }
                var next = new double[hidden];
                for (int j = 0; j < hidden; j++)
                {
                    if (lstm)
                    {
                        double i = Sigmoid(gi[j] + gh[j]), f = Sigmoid(gi[hidden + j] + gh[hidden + j]);
                        double g = Math.Tanh(gi[2 * hidden + j] + gh[2 * hidden + j]), o = Sigmoid(gi[3 * hidden + j] + gh[3 * hidden + j]);
                        c[j] = f * c[j] + i * g;
                        next[j] = o * Math.Tanh(c[j]);
                    }
                    else
                    {
                        double r = Sigmoid(gi[j] + gh[j]), z = Sigmoid(gi[hidden + j] + gh[hidden + j]);
                        double n = Math.Tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
                        next[j] = (1 - z) * n + z * h[j];
                    }
                }
                h = next;
                for (int j = 0; j < hidden; j++) output[(b * steps + t) * hidden + j] = h[j];
            }
            Array.Copy(h, 0, hOut, b * hidden, hidden);
            Array.Copy(c, 0, cOut, b * hidden, hidden);
        }
        return (output, hOut, cOut);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatchTheGateEquationsInBothDirectionsWithLengths(bool lstm)
    {
        int batch = 3, steps = 5, inputs = 3, hidden = 20;                     // 20: one Vector512 block and a tail
        int[] lengths = [5, 2, 4];
        var model = Make(lstm, inputs, hidden, 3, bidirectional: true);
        var x = Padded(4, batch, steps, inputs, lengths, steps);
        var result = Run(model, x, LongTensor.FromArray(lengths, batch));
        var p = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var y = result[0].ToArray();
        for (int dir = 0; dir < 2; dir++)
        {
            string suffix = dir == 1 ? "_reverse" : "";
            var (outRef, hRef, cRef) = Reference(lstm, x.ToArray(), batch, steps, inputs, hidden, lengths,
                p["weight_ih_l0" + suffix], p["weight_hh_l0" + suffix], p["bias_ih_l0" + suffix], p["bias_hh_l0" + suffix], reverse: dir == 1);
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < steps; t++)
                    for (int j = 0; j < hidden; j++)
                    {
                        float got = y[(b * steps + t) * 2 * hidden + dir * hidden + j];
                        Assert.True(Math.Abs(got - outRef[(b * steps + t) * hidden + j]) < 1e-5, $"direction {dir} output [{b}, {t}, {j}]: {got} vs {outRef[(b * steps + t) * hidden + j]}");
                    }
            Close(hRef.Select(v => (float)v).ToArray(), result[1].Select(0, dir).ToArray(), 1e-5, 0, $"h_n direction {dir}");
            if (lstm) Close(cRef.Select(v => (float)v).ToArray(), result[2].Select(0, dir).ToArray(), 1e-5, 0, $"c_n direction {dir}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GradientsOfEveryParameterAndTheInputMatchFiniteDifferences(bool lstm)
    {
        int batch = 3, steps = 4, inputs = 3, hidden = 3;
        var model = Make(lstm, inputs, hidden, 5, layers: 2, bidirectional: true);
        var lengths = LongTensor.FromArray([4, 1, 3], batch);
        var x = Tensor.Randn(new RandomSource(6), batch, steps, inputs);
        Tensor[] tensors = [x, .. model.Parameters()];
        GradientChecker.Check(t => Flat(Run(model, t[0], lengths)), tensors);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GradientsOfInitialStatesMatchFiniteDifferences(bool lstm)
    {
        int batch = 3, steps = 3, inputs = 2, hidden = 3;
        var model = Make(lstm, inputs, hidden, 26, layers: 2, bidirectional: true);
        var lengths = LongTensor.FromArray([3, 0, 2], batch);                 // length 0: the initial states come straight out
        var x = Tensor.Randn(new RandomSource(27), batch, steps, inputs);
        var h0 = Tensor.Randn(new RandomSource(28), 4, batch, hidden);
        var c0 = Tensor.Randn(new RandomSource(29), 4, batch, hidden);
        if (lstm) GradientChecker.Check(t => Flat(Run(model, t[0], lengths, t[1], t[2])), [x, h0, c0, .. model.Parameters()]);
        else GradientChecker.Check(t => Flat(Run(model, t[0], lengths, t[1])), [x, h0, .. model.Parameters()]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PaddingChangesNoValidOutputStateOrGradient(bool lstm)
    {
        int batch = 3, steps = 5, extra = 3, inputs = 3, hidden = 4;
        int[] lens = [5, 2, 4];
        var lengths = LongTensor.FromArray(lens, batch);
        var model = Make(lstm, inputs, hidden, 7, layers: 2, bidirectional: true);
        var shortX = Padded(8, batch, steps, inputs, lens, steps).SetRequiresGrad();
        var longX = Padded(9, batch, steps + extra, inputs, lens, 0);          // other garbage everywhere ...
        var longData = longX.AsSpan();
        var shortData = shortX.AsSpan();
        for (int b = 0; b < batch; b++)                                        // ... but the same valid steps
            shortData.Slice(b * steps * inputs, lens[b] * inputs).CopyTo(longData.Slice(b * (steps + extra) * inputs, lens[b] * inputs));
        longX.RequiresGrad = true;

        (Tensor[] Outputs, float[] InputGrad, float[][] ParamGrads) Evaluate(Tensor x)
        {
            model.ZeroGrad();
            var outputs = Run(model, x, lengths);
            // The same weights at the same steps in both batches (the long one's weights, cut to the batch's steps).
            var weight = Tensor.Uniform(new RandomSource(10), 0.5f, 1.5f, batch, steps + extra, 2 * hidden).Slice(1, 0, x.Size(1));
            var loss = (outputs[0] * weight).Sum();
            for (int i = 1; i < outputs.Length; i++) loss = loss + (outputs[i] * Tensor.Uniform(new RandomSource(11), 0.5f, 1.5f, outputs[i].Shape)).Sum();
            loss.Backward();
            return (outputs, x.Grad!.ToArray(), model.Parameters().Select(p => p.Grad!.ToArray()).ToArray());
        }

        var (shortOut, shortGrad, shortParams) = Evaluate(shortX);
        var (longOut, longGrad, longParams) = Evaluate(longX);
        var ys = shortOut[0].ToArray();
        var yl = longOut[0].ToArray();
        int width = 2 * hidden;
        for (int b = 0; b < batch; b++)
        {
            Close(ys.AsSpan(b * steps * width, lens[b] * width), yl.AsSpan(b * (steps + extra) * width, lens[b] * width), 1e-6, 1e-5, $"outputs of sample {b}");
            Assert.All(yl.AsSpan((b * (steps + extra) + lens[b]) * width, (steps + extra - lens[b]) * width).ToArray(), v => Assert.Equal(0f, v));
            Close(shortGrad.AsSpan(b * steps * inputs, lens[b] * inputs), longGrad.AsSpan(b * (steps + extra) * inputs, lens[b] * inputs), 1e-6, 1e-5, $"input gradient of sample {b}");
            Assert.All(longGrad.AsSpan((b * (steps + extra) + lens[b]) * inputs, (steps + extra - lens[b]) * inputs).ToArray(), v => Assert.Equal(0f, v));
        }
        for (int i = 1; i < shortOut.Length; i++) Close(shortOut[i].ToArray(), longOut[i].ToArray(), 1e-6, 1e-5, $"final state {i}");
        for (int i = 0; i < shortParams.Length; i++) Close(shortParams[i], longParams[i], 1e-6, 1e-4, $"gradient of parameter {i}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DropoutActsBetweenLayersInTrainingOnly(bool lstm)
    {
        var x = Tensor.Randn(new RandomSource(12), 2, 4, 3);
        var plain = Make(lstm, 3, 4, 13, layers: 2);
        var dropped = Make(lstm, 3, 4, 13, layers: 2, dropout: 0.5f);
        var expected = Run(plain, x, null)[0].ToArray();
        Assert.NotEqual(expected, Run(dropped, x, null)[0].ToArray());
        dropped.Eval();
        Close(expected, Run(dropped, x, null)[0].ToArray(), 0, 0, "eval output with dropout 0.5");
        var single = Make(lstm, 3, 4, 13, layers: 1, dropout: 0.5f);          // no layer after which to drop
        Close(Run(Make(lstm, 3, 4, 13), x, null)[0].ToArray(), Run(single, x, null)[0].ToArray(), 0, 0, "one-layer output with dropout 0.5");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LastLayerStateIsTheForwardOutputAtTheLastValidStepBesideTheReverseOutputAtStepZero(bool lstm)
    {
        int[] lens = [4, 2];
        var model = Make(lstm, 3, 5, 16, layers: 2, bidirectional: true);
        var outputs = Run(model, Tensor.Randn(new RandomSource(17), 2, 4, 3), LongTensor.FromArray(lens, 2));
        var last = model.LastLayerState(outputs[1]);
        Assert.Equal([2, 10], last.Shape.ToArray());
        for (int b = 0; b < 2; b++)
        {
            Close(outputs[0].Select(0, b).Select(0, lens[b] - 1).Slice(0, 0, 5).ToArray(), last.Select(0, b).Slice(0, 0, 5).ToArray(), 0, 0, $"forward half of sample {b}");
            Close(outputs[0].Select(0, b).Select(0, 0).Slice(0, 5, 10).ToArray(), last.Select(0, b).Slice(0, 5, 10).ToArray(), 0, 0, $"reverse half of sample {b}");
        }
        Assert.Throws<ArgumentException>(() => model.LastLayerState(outputs[0]));
    }

    [Fact]
    public void OneGraphNodePerLayerAndDirection()
    {
        var model = new Gru(3, 4, new RandomSource(14), numLayers: 2, bidirectional: true);
        var x = Tensor.Randn(new RandomSource(15), 2, 50, 3).SetRequiresGrad();
        var (y, _) = model.Forward(x);
        var names = new List<string>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor>([y]);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (!seen.Add(t) || t.GradFn is null) continue;
            names.Add(t.GradFn.Name);
            foreach (var input in t.GradFn.Inputs) stack.Push(input);
        }
        Assert.Equal(2, names.Count(n => n == "Gru"));
        Assert.Equal(2, names.Count(n => n == "GruReverse"));
        Assert.True(names.Count < 20, $"{names.Count} nodes for 50 steps: {string.Join(", ", names)}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainingStepRentsItsBuffersFromThePool(bool lstm)
    {
        // About 2 MiB of activations and gradients per step; what remains is tensor headers, closures and the GEMM's own bookkeeping.
        var model = Make(lstm, 32, 64, 18, bidirectional: true);
        var x = Tensor.Randn(new RandomSource(19), 16, 20, 32);
        var lengths = LongTensor.FromArray(Enumerable.Range(0, 16).Select(i => 20 - i).ToArray(), 16);
        long Step()
        {
            using var scope = Tensor.NewScope();
            long before = GC.GetAllocatedBytesForCurrentThread();
            Flat(Run(model, x, lengths)).Sum().Backward();
            model.ZeroGrad();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        for (int i = 0; i < 3; i++) Step();
        long allocated = Step();
        Assert.True(allocated < 96 * 1024, $"a {(lstm ? "LSTM" : "GRU")} step allocated {allocated} managed bytes");
    }

    private const string TorchScript = """
        import json, sys, torch
        from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
        d = json.load(sys.stdin)
        out = {}
        for kind in ("gru", "lstm"):
            c = d[kind]
            B, N, I, H, L = c["B"], c["N"], c["I"], c["H"], c["L"]
            m = (torch.nn.GRU if kind == "gru" else torch.nn.LSTM)(I, H, num_layers=L, bidirectional=True, batch_first=True)
            sd = m.state_dict()
            m.load_state_dict({k: torch.tensor(c["params"][k]).reshape(v.shape) for k, v in sd.items()})
            x = torch.tensor(c["x"]).reshape(B, N, I).requires_grad_()
            packed = pack_padded_sequence(x, torch.tensor(c["lengths"]), batch_first=True, enforce_sorted=False)
            h0 = torch.tensor(c["h0"]).reshape(2 * L, B, H).requires_grad_() if c["h0"] else None
            c0 = torch.tensor(c["c0"]).reshape(2 * L, B, H).requires_grad_() if c["h0"] else None
            y, state = m(packed, None if h0 is None else (h0 if kind == "gru" else (h0, c0)))
            y, _ = pad_packed_sequence(y, batch_first=True, total_length=N)
            hn = state if kind == "gru" else state[0]
            loss = (y * torch.tensor(c["gy"]).reshape(y.shape)).sum() + (hn * torch.tensor(c["gh"]).reshape(hn.shape)).sum()
            if kind == "lstm": loss = loss + (state[1] * torch.tensor(c["gc"]).reshape(hn.shape)).sum()
            loss.backward()
            r = {"keys": [[k, list(v.shape)] for k, v in sd.items()], "y": y.flatten().tolist(), "hn": hn.flatten().tolist(), "dx": x.grad.flatten().tolist()}
            if kind == "lstm": r["cn"] = state[1].flatten().tolist()
            if h0 is not None: r["dh0"], r["dc0"] = h0.grad.flatten().tolist(), (c0.grad.flatten().tolist() if kind == "lstm" else [])
            for k, p in m.named_parameters(): r["d_" + k] = p.grad.flatten().tolist()
            out[kind] = r
        print(json.dumps(out))
        """;

    [TorchFact]
    public void BidirectionalTwoLayerPackedSequencesMatchTorch() => CompareWithTorch(initialStates: false);

    [TorchFact]
    public void BidirectionalTwoLayerPackedSequencesFromInitialStatesMatchTorch() => CompareWithTorch(initialStates: true);

    private static void CompareWithTorch(bool initialStates)
    {
        const int batch = 3, steps = 6, inputs = 4, hidden = 5, layers = 2;
        int[] lens = [4, 6, 2];
        var lengths = LongTensor.FromArray(lens, batch);
        var x = Padded(20, batch, steps, inputs, lens, steps);
        float[] h0 = initialStates ? Values(30, layers * 2 * batch * hidden) : [], c0 = initialStates ? Values(31, layers * 2 * batch * hidden) : [];
        var models = new Dictionary<string, Recurrent>
        {
            ["gru"] = Make(false, inputs, hidden, 21, layers, bidirectional: true),
            ["lstm"] = Make(true, inputs, hidden, 22, layers, bidirectional: true),
        };
        var seeds = new Dictionary<string, (float[] Y, float[] H, float[] C)>();
        var config = new Dictionary<string, object>();
        foreach (var (kind, model) in models)
        {
            var seed = (Values(23, batch * steps * 2 * hidden), Values(24, layers * 2 * batch * hidden), Values(25, layers * 2 * batch * hidden));
            seeds[kind] = seed;
            config[kind] = new
            {
                B = batch, N = steps, I = inputs, H = hidden, L = layers, lengths = lens, x = x.ToArray(),
                @params = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
                gy = seed.Item1, gh = seed.Item2, gc = seed.Item3, h0, c0,
            };
        }
        var reference = TorchReference.Run(TorchScript, JsonSerializer.Serialize(config));

        foreach (var (kind, model) in models)
        {
            var r = reference.GetProperty(kind);
            var keys = r.GetProperty("keys").EnumerateArray().Select(k => (k[0].GetString()!, k[1].EnumerateArray().Select(v => v.GetInt32()).ToArray())).ToList();
            Assert.Equal(keys.Select(k => k.Item1), model.StateDict().Keys);
            Assert.Equal(keys.Select(k => string.Join(",", k.Item2)), model.StateDict().Values.Select(v => string.Join(",", v.Shape.ToArray())));

            var xs = x.Clone().Detach().SetRequiresGrad();
            var hs = initialStates ? Tensor.FromArray(h0, layers * 2, batch, hidden).SetRequiresGrad() : null;
            var cs = initialStates && kind == "lstm" ? Tensor.FromArray(c0, layers * 2, batch, hidden).SetRequiresGrad() : null;
            var outputs = Run(model, xs, lengths, hs, cs);
            var (gy, gh, gc) = seeds[kind];
            var loss = (outputs[0] * Tensor.FromArray(gy, outputs[0].Shape)).Sum() + (outputs[1] * Tensor.FromArray(gh, outputs[1].Shape)).Sum();
            if (outputs.Length == 3) loss = loss + (outputs[2] * Tensor.FromArray(gc, outputs[2].Shape)).Sum();
            model.ZeroGrad();
            loss.Backward();
            Close(r.GetProperty("y"), outputs[0], 2e-6, 1e-5, kind + " output");
            Close(r.GetProperty("hn"), outputs[1], 2e-6, 1e-5, kind + " h_n");
            if (outputs.Length == 3) Close(r.GetProperty("cn"), outputs[2], 2e-6, 1e-5, kind + " c_n");
            Close(r.GetProperty("dx"), xs.Grad!, 1e-5, 1e-4, kind + " input gradient");
            foreach (var (name, p) in model.NamedParameters()) Close(r.GetProperty("d_" + name), p.Grad!, 1e-5, 1e-4, $"{kind} gradient of {name}");
            if (hs is not null) Close(r.GetProperty("dh0"), hs.Grad!, 1e-5, 1e-4, kind + " h_0 gradient");
            if (cs is not null) Close(r.GetProperty("dc0"), cs.Grad!, 1e-5, 1e-4, kind + " c_0 gradient");
        }
    }
}
