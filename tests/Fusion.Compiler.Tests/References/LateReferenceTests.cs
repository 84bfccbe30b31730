namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Late fusion (methods.md section 2): one Linear head per input, combined by the mean, by
/// <c>softmax(weights)</c> (learned weights), or by vote. The runtime's vote is a soft vote, the mean
/// of the heads' softmax distributions over the <c>out</c> classes (differentiable; a hard majority
/// vote has no gradient), and this check pins that meaning.
/// </summary>
public sealed class LateReferenceTests
{
    [Theory]
    [InlineData("mean")]
    [InlineData("weighted")]
    [InlineData("vote")]
    public void Per_input_heads_are_combined_as_declared(string combine)
    {
        string yaml = $$"""
            model: TinyLate
            modalities:
              a: { shape: [2] }
              b: { shape: [3] }
              c: { shape: [4] }
            fusion:
              decision: { op: late, inputs: [a, b, c], out: 3, combine: {{combine}} }
            heads:
              y: { type: regressor, input: decision, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        string[] names = ["a", "b", "c"];
        var inputs = names.Select((n, m) => ReferenceModel.FixedVectors(4, m + 2, salt: m + 1)).ToArray();
        var outputs = model.Forward(names.Select((n, m) => ReferenceModel.Vectors(n, inputs[m])).ToArray());

        var share = combine == "weighted"
            ? PlainMath.Softmax(model.Get("decision.weights").Select(v => (double)v).ToArray())
            : [1.0 / 3, 1.0 / 3, 1.0 / 3];
        var expected = inputs[0].Select((_, s) =>
        {
            var sum = new double[3];
            for (int m = 0; m < 3; m++)
            {
                var y = PlainMath.Linear(inputs[m][s], model.Get($"decision.heads.{names[m]}.weight"), model.Get($"decision.heads.{names[m]}.bias"));
                if (combine == "vote") y = PlainMath.Softmax(y);
                sum = PlainMath.Add(sum, PlainMath.Scale(y, share[m]));
            }

            return sum;
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["decision"], 1e-5);
    }
}
