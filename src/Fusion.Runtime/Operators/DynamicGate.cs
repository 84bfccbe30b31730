using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Dynamic fusion (methods.md section 2: per-sample gates computed from the inputs, a GMU
/// generalised to M), the spec's <c>dynamic_gate</c> op: <c>h_m = tanh(proj_m(x_m))</c> with
/// <c>proj.&lt;input&gt;</c> Linear(d_m, out); gates <c>g = softmax(gate([x_1; ...; x_M]))</c>
/// with <c>gate</c> Linear(sum d_m, M), one weight per input and sample; <c>h = sum_m g_m h_m</c>.
/// </summary>
public sealed class DynamicGate : Module
{
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly ModuleDict<Linear> proj;
    private readonly Linear gate;

    public DynamicGate(IReadOnlyList<InputWidth> inputs, int outFeatures, RandomSource generator)
    {
        if (inputs.Count == 0) throw new ArgumentException("DynamicGate needs at least one input.");
        this.inputs = inputs.ToArray();
        proj = RegisterModule("proj", new ModuleDict<Linear>());
        foreach (var input in inputs) proj.Add(input.Name, new Linear(input.Width, outFeatures, generator));
        gate = RegisterModule("gate", new Linear(inputs.Sum(i => i.Width), inputs.Count, generator));
    }

    public Tensor Forward(IReadOnlyList<Tensor> xs)
    {
        OperatorChecks.Vectors(nameof(DynamicGate), xs, inputs);
        var h = new Tensor[xs.Count];
        for (int m = 0; m < xs.Count; m++) h[m] = proj[m].Forward(xs[m]).Tanh();
        var g = gate.Forward(Tensor.Concat(xs, -1)).Softmax(-1).Unsqueeze(-1);   // [B, M, 1]
        return (g * Tensor.Stack(h, 1)).Sum(1);
    }
}
