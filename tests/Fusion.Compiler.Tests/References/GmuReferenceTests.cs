namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Gated Multimodal Unit (methods.md sections 0 and 2): <c>h_m = tanh(W_m x_m)</c>; with two inputs
/// <c>z = sigmoid(W_z [x_1; x_2])</c>, <c>h = z h_1 + (1 - z) h_2</c>; with M inputs a softmax over the M
/// modalities for every hidden unit, the score of input m for unit j being row <c>m*out + j</c> of the gate.
/// </summary>
public sealed class GmuReferenceTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Gated_sum_of_the_tanh_projections(int modalities)
    {
        string[] names = ["a", "b", "c"];
        names = names.Take(modalities).ToArray();
        string declared = string.Join("\n", names.Select((n, m) => $"  {n}: {{ shape: [{m + 2}] }}"));
        string yaml = $$"""
            model: TinyGmu
            modalities:
            {{declared}}
            fusion:
              gated: { op: gmu, inputs: [{{string.Join(", ", names)}}], out: 4 }
            heads:
              y: { type: regressor, input: gated, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        var inputs = names.Select((n, m) => ReferenceModel.FixedVectors(3, m + 2, salt: m + 1)).ToArray();
        var outputs = model.Forward(names.Select((n, m) => ReferenceModel.Vectors(n, inputs[m])).ToArray());

        const int width = 4;
        var expected = inputs[0].Select((_, s) =>
        {
            var h = names.Select((n, m) => PlainMath.Map(PlainMath.Linear(inputs[m][s], model.Get($"gated.hidden.{n}.weight"), null), Math.Tanh)).ToArray();
            var scores = PlainMath.Linear(PlainMath.Concat(inputs.Select(x => x[s]).ToArray()), model.Get("gated.gate.weight"), null);
            var result = new double[width];
            for (int j = 0; j < width; j++)
            {
                if (modalities == 2)
                {
                    double z = PlainMath.Sigmoid(scores[j]);
                    result[j] = z * h[0][j] + (1 - z) * h[1][j];
                    continue;
                }

                var gates = PlainMath.Softmax(Enumerable.Range(0, modalities).Select(m => scores[m * width + j]).ToArray());
                result[j] = Enumerable.Range(0, modalities).Sum(m => gates[m] * h[m][j]);
            }

            return result;
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["gated"], 1e-5);
    }
}
