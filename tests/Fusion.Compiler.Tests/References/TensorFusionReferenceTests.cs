namespace Fusion.Compiler.Tests.References;

/// <summary>
/// Tensor Fusion (methods.md sections 0 and 2): <c>[1; h_1] (x) [1; h_2] (x) [1; h_3]</c> flattened
/// row-major with the 1 first in every factor and the first declared input's index varying slowest,
/// <c>prod (d_m + 1)</c> features, then an MLP.
/// </summary>
public sealed class TensorFusionReferenceTests
{
    [Fact]
    public void Outer_product_of_three_inputs_in_declared_order_then_the_mlp()
    {
        const string yaml = """
            model: TinyTfn
            modalities:
              a: { shape: [2] }
              b: { shape: [1] }
              c: { shape: [3] }
            fusion:
              tfn:   { op: tensor, inputs: [a, b, c] }
              fused: { op: mlp, input: tfn, hidden: [5], out: 2, activation: tanh }
            heads:
              y: { type: regressor, input: fused, outputs: 1 }
              t: { type: regressor, input: tfn, outputs: 1 }
            losses:
              - { type: mse, head: y }
              - { type: mse, head: t }
            """;
        var model = ReferenceModel.Compile(yaml);
        var a = ReferenceModel.FixedVectors(3, 2, salt: 1);
        var b = ReferenceModel.FixedVectors(3, 1, salt: 2);
        var c = ReferenceModel.FixedVectors(3, 3, salt: 3);
        var outputs = model.Forward(ReferenceModel.Vectors("a", a), ReferenceModel.Vectors("b", b), ReferenceModel.Vectors("c", c));

        var z = a.Select((_, s) =>
        {
            double[] fa = [1, .. a[s]], fb = [1, .. b[s]], fc = [1, .. c[s]];
            var flat = new List<double>();
            foreach (var va in fa)
            {
                foreach (var vb in fb)
                {
                    foreach (var vc in fc) flat.Add(va * vb * vc);
                }
            }

            return flat.ToArray();
        }).ToArray();
        Assert.Equal(3 * 2 * 4, z[0].Length);
        var fused = z.Select(r => PlainMath.Linear(
            PlainMath.Map(PlainMath.Linear(r, model.Get("fused.layers.0.weight"), model.Get("fused.layers.0.bias")), Math.Tanh),
            model.Get("fused.layers.1.weight"), model.Get("fused.layers.1.bias"))).ToArray();
        ReferenceModel.AssertClose(z, outputs.Representations["tfn"], 1e-6);
        ReferenceModel.AssertClose(fused, outputs.Representations["fused"], 1e-5);
    }
}
