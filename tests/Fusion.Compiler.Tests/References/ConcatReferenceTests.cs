namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Concat / early fusion (methods.md section 2): vectors side by side, and aligned sequences
/// concatenated step by step on the feature axis, valid where every input is (the smallest length),
/// then one encoder (here a mean pool over the valid steps and a plain MLP).
/// </summary>
public sealed class ConcatReferenceTests
{
    [Fact]
    public void Vectors_are_concatenated_in_input_order_then_encoded()
    {
        const string yaml = """
            model: TinyConcat
            modalities:
              a: { shape: [2] }
              b: { shape: [3] }
              c: { shape: [1] }
            fusion:
              joint: { op: concat, inputs: [b, a, c] }
              fused: { op: mlp, input: joint, hidden: [4], out: 2 }
            heads:
              y: { type: regressor, input: fused, outputs: 1 }
              j: { type: regressor, input: joint, outputs: 1 }
            losses:
              - { type: mse, head: y }
              - { type: mse, head: j }
            """;
        var model = ReferenceModel.Compile(yaml);
        var a = ReferenceModel.FixedVectors(3, 2, salt: 1);
        var b = ReferenceModel.FixedVectors(3, 3, salt: 2);
        var c = ReferenceModel.FixedVectors(3, 1, salt: 3);
        var outputs = model.Forward(ReferenceModel.Vectors("a", a), ReferenceModel.Vectors("b", b), ReferenceModel.Vectors("c", c));

        var joint = a.Select((_, i) => PlainMath.Concat(b[i], a[i], c[i])).ToArray();
        var fused = joint.Select(r => PlainMath.Linear(
            PlainMath.Map(PlainMath.Linear(r, model.Get("fused.layers.0.weight"), model.Get("fused.layers.0.bias")), PlainMath.Relu),
            model.Get("fused.layers.1.weight"), model.Get("fused.layers.1.bias"))).ToArray();
        ReferenceModel.AssertClose(joint, outputs.Representations["joint"], 1e-6);
        ReferenceModel.AssertClose(fused, outputs.Representations["fused"]);
    }

    [Fact]
    public void Aligned_sequences_are_concatenated_per_step_and_valid_up_to_the_smallest_length()
    {
        const string yaml = """
            model: TinyEarly
            modalities:
              a: { shape: [4, 2] }
              b: { shape: [4, 3] }
            fusion:
              early:  { op: concat, inputs: [a, b] }
              pooled: { op: pool, input: early, mode: mean }
            heads:
              y: { type: regressor, input: pooled, outputs: 1 }
            losses:
              - { type: mse, head: y }
            """;
        var model = ReferenceModel.Compile(yaml);
        var a = ReferenceModel.FixedSequences(3, 4, 2, salt: 1);
        var b = ReferenceModel.FixedSequences(3, 4, 3, salt: 2);
        int[] lengthsA = [4, 2, 3];
        int[] lengthsB = [4, 3, 1];
        var outputs = model.Forward(ReferenceModel.Sequences("a", a, lengthsA), ReferenceModel.Sequences("b", b, lengthsB));

        var expected = a.Select((_, s) =>
        {
            int valid = Math.Min(lengthsA[s], lengthsB[s]);
            return PlainMath.Mean(Enumerable.Range(0, valid).Select(t => PlainMath.Concat(a[s][t], b[s][t])).ToList());
        }).ToArray();
        ReferenceModel.AssertClose(expected, outputs.Representations["pooled"], 1e-5);
    }
}
