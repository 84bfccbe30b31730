using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Gated Multimodal Unit (Arevalo et al. 2017; methods.md sections 0 and 2), the spec's <c>gmu</c>
/// op: <c>h_m = tanh(W_m x_m)</c> with bare matrices <c>hidden.&lt;input&gt; [out, d_m]</c>, and a gate
/// from the concatenated inputs through the bare matrix <c>gate</c>. Two inputs:
/// <c>z = sigmoid(W_z [x_1; x_2])</c> (<c>gate [out, d_1 + d_2]</c>), <c>h = z h_1 + (1 - z) h_2</c>.
/// M &gt; 2 inputs: <c>gate [M*out, sum d_m]</c>, whose row <c>m*out + j</c> scores input m for hidden
/// unit j; <c>z = softmax over m</c> for every unit, <c>h = sum_m z_m h_m</c>.
/// </summary>
public sealed class GatedMultimodalUnit : Module
{
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly ModuleDict<Linear> hidden;
    private readonly Linear gate;
    private readonly int outFeatures;

    public GatedMultimodalUnit(IReadOnlyList<InputWidth> inputs, int outFeatures, RandomSource generator)
    {
        if (inputs.Count < 2) throw new ArgumentException("A GMU needs at least two inputs.");
        this.inputs = inputs.ToArray();
        this.outFeatures = outFeatures;
        hidden = RegisterModule("hidden", new ModuleDict<Linear>());
        foreach (var input in inputs) hidden.Add(input.Name, new Linear(input.Width, outFeatures, generator, bias: false));
        int gates = inputs.Count == 2 ? outFeatures : inputs.Count * outFeatures;
        gate = RegisterModule("gate", new Linear(inputs.Sum(i => i.Width), gates, generator, bias: false));
    }

    public Linear Gate => gate;

    public Linear Hidden(int input) => hidden[input];

    public Tensor Forward(IReadOnlyList<Tensor> xs)
    {
        int batch = OperatorChecks.Vectors("GatedMultimodalUnit", xs, inputs);
        var h = new Tensor[xs.Count];
        for (int m = 0; m < xs.Count; m++) h[m] = hidden[m].Forward(xs[m]).Tanh();
        var scores = gate.Forward(Tensor.Concat(xs, -1));
        if (xs.Count == 2)
        {
            var z = scores.Sigmoid();
            return z * h[0] + (1f - z) * h[1];
        }

        var weights = scores.Reshape(batch, xs.Count, outFeatures).Softmax(1);    // [B, M, out]
        return (weights * Tensor.Stack(h, 1)).Sum(1);
    }
}
