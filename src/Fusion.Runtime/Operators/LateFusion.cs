using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Late fusion (methods.md section 2), the spec's <c>late</c> op: one Linear head per input
/// (<c>heads.&lt;input&gt; [out, d_m]</c>), the outputs <c>y_m [B, out]</c> combined by
/// <see cref="LateCombine"/>: the mean, a softmax-weighted sum with learnable <c>weights [M]</c>
/// (initialised to zeros, i.e. the mean), or a soft vote (the mean of <c>softmax(y_m)</c>,
/// differentiable, unlike a hard majority vote).
/// </summary>
public sealed class LateFusion : Module
{
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly ModuleDict<Linear> heads;
    private readonly Tensor? weights;

    public LateFusion(IReadOnlyList<InputWidth> inputs, int outFeatures, LateCombine combine, RandomSource generator)
    {
        if (inputs.Count == 0) throw new ArgumentException("LateFusion needs at least one input.");
        this.inputs = inputs.ToArray();
        Combine = combine;
        if (combine == LateCombine.Weighted) weights = RegisterParameter("weights", Tensor.Zeros(inputs.Count));
        heads = RegisterModule("heads", new ModuleDict<Linear>());
        foreach (var input in inputs) heads.Add(input.Name, new Linear(input.Width, outFeatures, generator));
    }

    public LateCombine Combine { get; }

    public Tensor Forward(IReadOnlyList<Tensor> xs)
    {
        OperatorChecks.Vectors(nameof(LateFusion), xs, inputs);
        var outputs = new Tensor[xs.Count];
        for (int m = 0; m < xs.Count; m++)
        {
            var y = heads[m].Forward(xs[m]);
            outputs[m] = Combine == LateCombine.Vote ? y.Softmax(-1) : y;
        }

        var stacked = Tensor.Stack(outputs, 0);                                   // [M, B, out]
        if (Combine != LateCombine.Weighted) return stacked.Mean(0);
        var a = weights!.Softmax(0).Reshape(xs.Count, 1, 1);
        return (stacked * a).Sum(0);
    }
}
