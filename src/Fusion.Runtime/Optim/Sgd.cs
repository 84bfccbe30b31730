using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fusion.Runtime.Optim;

/// <summary>
/// Stochastic gradient descent, exactly torch.optim.SGD: d = g + wd p; with momentum the buffer
/// starts as d and then b = momentum b + (1 - dampening) d; Nesterov uses d + momentum b, else b;
/// finally p -= lr d. The gradient itself is not modified.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][]? momentumBuffers;
    private readonly int[]? started;

    public Sgd(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : this(OneGroup(parameters), learningRate, momentum, dampening, weightDecay, nesterov) { }

    public Sgd(IEnumerable<ParamGroup> groups, float learningRate, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(groups, learningRate, weightDecay)
    {
        if (!(momentum >= 0f)) throw new ArgumentOutOfRangeException(nameof(momentum));
        if (nesterov && (momentum <= 0f || dampening != 0f)) throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening.");
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        if (momentum != 0f)
        {
            momentumBuffers = NewState("momentum_buffer");
            started = NewCounter("momentum_started");
        }
    }

    public float Momentum { get; }
    public float Dampening { get; }
    public bool Nesterov { get; }

    protected override void Update(int index, ParamGroup group, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        float lr = group.LearningRate, wd = group.WeightDecay;
        ref float p = ref MemoryMarshal.GetReference(parameter);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = parameter.Length, i = 0;
        if (momentumBuffers is null)
        {
            if (Vector512.IsHardwareAccelerated)
                for (; i <= n - 16; i += 16)
                {
                    var vp = Vector512.LoadUnsafe(ref p, (nuint)i);
                    var d = Vector512.LoadUnsafe(ref g, (nuint)i) + vp * wd;
                    (vp - d * lr).StoreUnsafe(ref p, (nuint)i);
                }
            for (; i < n; i++)
            {
                float d = Unsafe.Add(ref g, i) + wd * Unsafe.Add(ref p, i);
                Unsafe.Add(ref p, i) -= lr * d;
            }
            return;
        }

        ref float b = ref MemoryMarshal.GetArrayDataReference(momentumBuffers[index]);
        float mu = Momentum;
        // First step: b = d (no dampening), as PyTorch's clone of d_p.
        bool first = started![index] == 0;
        float keep = first ? 0f : mu;
        float add = first ? 1f : 1f - Dampening;
        started[index] = 1;
        bool nesterov = Nesterov;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
            {
                var vp = Vector512.LoadUnsafe(ref p, (nuint)i);
                var d = Vector512.LoadUnsafe(ref g, (nuint)i) + vp * wd;
                var vb = Vector512.LoadUnsafe(ref b, (nuint)i) * keep + d * add;
                vb.StoreUnsafe(ref b, (nuint)i);
                var step = nesterov ? d + vb * mu : vb;
                (vp - step * lr).StoreUnsafe(ref p, (nuint)i);
            }
        for (; i < n; i++)
        {
            float d = Unsafe.Add(ref g, i) + wd * Unsafe.Add(ref p, i);
            float vb = Unsafe.Add(ref b, i) * keep + d * add;
            Unsafe.Add(ref b, i) = vb;
            Unsafe.Add(ref p, i) -= lr * (nesterov ? d + mu * vb : vb);
        }
    }
}
