namespace Fusion.Compiler.Tests.References;

/// <summary>Weighted sum (methods.md section 2): <c>sum_m a_m x_m</c>, <c>a = softmax(weights)</c> or the raw weights.</summary>
public sealed class WeightedSumReferenceTests
{
    [Theory]
    [InlineData("softmax")]
    [InlineData("none")]
    public void Inputs_are_summed_with_the_learned_weights(string normalize)
    {
        string yaml = $$"""
            model: TinyWeighted
            modalities:
              a: { shape: [3] }
              b: { shape: [3] }
              c: { shape: [3] }
            fusion:
              mix: { op: weighted, inputs: [a, b, c], normalize: {{normalize}} }
            heads:
              y: { type: regressor, input: mix, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        string[] names = ["a", "b", "c"];
        var inputs = names.Select((n, m) => ReferenceModel.FixedVectors(4, 3, salt: m + 1)).ToArray();
        var outputs = model.Forward(names.Select((n, m) => ReferenceModel.Vectors(n, inputs[m])).ToArray());

        var raw = model.Get("mix.weights").Select(v => (double)v).ToArray();
        var share = normalize == "softmax" ? PlainMath.Softmax(raw) : raw;
        var expected = inputs[0].Select((_, s) =>
            inputs.Select((x, m) => PlainMath.Scale(x[s], share[m])).Aggregate(PlainMath.Add)).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["mix"], 1e-5);
    }
}
