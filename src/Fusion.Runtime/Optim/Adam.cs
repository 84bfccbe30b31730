using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fusion.Runtime.Optim;

/// <summary>
/// torch.optim.Adam: g += wd p (L2 penalty in the gradient), m = b1 m + (1 - b1) g,
/// v = b2 v + (1 - b2) g^2, p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
/// (eps outside the square root; t counts this parameter's steps).
/// </summary>
public class Adam : Optimizer
{
    private readonly float[][] expAvg;
    private readonly float[][] expAvgSq;
    private readonly int[] steps;
    private readonly bool decoupled;

    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
        : this(OneGroup(parameters), learningRate, beta1, beta2, eps, weightDecay) { }

    public Adam(IEnumerable<ParamGroup> groups, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
        : this(groups, learningRate, beta1, beta2, eps, weightDecay, decoupled: false) { }

    private protected Adam(IEnumerable<ParamGroup> groups, float learningRate, float beta1, float beta2, float eps, float weightDecay, bool decoupled)
        : base(groups, learningRate, weightDecay)
    {
        if (!(beta1 >= 0f && beta1 < 1f)) throw new ArgumentOutOfRangeException(nameof(beta1));
        if (!(beta2 >= 0f && beta2 < 1f)) throw new ArgumentOutOfRangeException(nameof(beta2));
        if (!(eps >= 0f)) throw new ArgumentOutOfRangeException(nameof(eps));
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        this.decoupled = decoupled;
        expAvg = NewState("exp_avg");
        expAvgSq = NewState("exp_avg_sq");
        steps = NewCounter("step");
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }

    /// <summary>Number of steps taken by parameter <paramref name="index"/> (over all groups, in order).</summary>
    public int StepCount(int index) => steps[index];

    protected override void Update(int index, ParamGroup group, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        float lr = group.LearningRate, wd = group.WeightDecay;
        int t = ++steps[index];
        float b1 = Beta1, b2 = Beta2, eps = Eps;
        float stepSize = (float)(lr / (1.0 - Math.Pow(b1, t)));
        float bc2Sqrt = (float)Math.Sqrt(1.0 - Math.Pow(b2, t));
        float invBc2Sqrt = 1f / bc2Sqrt;
        // AdamW: p *= 1 - lr wd before the step; Adam: g += wd p.
        float decay = decoupled ? 1f - lr * wd : 1f;
        float l2 = decoupled ? 0f : wd;
        ref float p = ref MemoryMarshal.GetReference(parameter);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float m = ref MemoryMarshal.GetArrayDataReference(expAvg[index]);
        ref float v = ref MemoryMarshal.GetArrayDataReference(expAvgSq[index]);
        int n = parameter.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var vp = Vector512.LoadUnsafe(ref p, (nuint)i);
                var vg = Vector512.LoadUnsafe(ref g, (nuint)i) + vp * l2;
                vp *= decay;
                var vm = Vector512.LoadUnsafe(ref m, (nuint)i) * b1 + vg * (1f - b1);
                var vv = Vector512.LoadUnsafe(ref v, (nuint)i) * b2 + vg * vg * (1f - b2);
                vm.StoreUnsafe(ref m, (nuint)i);
                vv.StoreUnsafe(ref v, (nuint)i);
                var denom = Vector512.Sqrt(vv) * invBc2Sqrt + Vector512.Create(eps);
                (vp - vm / denom * stepSize).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float pi = Unsafe.Add(ref p, i);
            float gi = Unsafe.Add(ref g, i) + l2 * pi;
            pi *= decay;
            float mi = Unsafe.Add(ref m, i) * b1 + gi * (1f - b1);
            float vi = Unsafe.Add(ref v, i) * b2 + gi * gi * (1f - b2);
            Unsafe.Add(ref m, i) = mi;
            Unsafe.Add(ref v, i) = vi;
            Unsafe.Add(ref p, i) = pi - stepSize * mi / (MathF.Sqrt(vi) * invBc2Sqrt + eps);
        }
    }
}
