namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Dynamic fusion (methods.md section 2), the <c>dynamic_gate</c> op: <c>h_m = tanh(proj_m(x_m))</c>,
/// per-sample gates <c>g = softmax(gate([x_1; ...; x_M]))</c> (one per input), <c>h = sum_m g_m h_m</c>.
/// </summary>
public sealed class DynamicGateReferenceTests
{
    [Fact]
    public void Per_sample_softmax_gates_weight_the_projections()
    {
        const string yaml = """
            model: TinyDynamicGate
            modalities:
              a: { shape: [2] }
              b: { shape: [3] }
              c: { shape: [4] }
            fusion:
              gated: { op: dynamic_gate, inputs: [a, b, c], out: 3 }
            heads:
              y: { type: regressor, input: gated, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        string[] names = ["a", "b", "c"];
        var inputs = names.Select((n, m) => ReferenceModel.FixedVectors(4, m + 2, salt: m + 1)).ToArray();
        var outputs = model.Forward(names.Select((n, m) => ReferenceModel.Vectors(n, inputs[m])).ToArray());

        var expected = inputs[0].Select((_, s) =>
        {
            var gates = PlainMath.Softmax(PlainMath.Linear(PlainMath.Concat(inputs.Select(x => x[s]).ToArray()), model.Get("gated.gate.weight"), model.Get("gated.gate.bias")));
            return names.Select((n, m) => PlainMath.Scale(
                PlainMath.Map(PlainMath.Linear(inputs[m][s], model.Get($"gated.proj.{n}.weight"), model.Get($"gated.proj.{n}.bias")), Math.Tanh),
                gates[m])).Aggregate(PlainMath.Add);
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["gated"], 1e-5);
    }
}
