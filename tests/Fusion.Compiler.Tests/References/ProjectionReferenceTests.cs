namespace Fusion.Compiler.Tests.References;

/// <summary>
/// CBMF's projection head (methods.md section 1): <c>LayerNorm(Dropout(fc2(GELU(fc1(x)))))</c> with the
/// exact (erf) GELU, per vector and per token of a sequence; dropout is off in eval mode.
/// </summary>
public sealed class ProjectionReferenceTests
{
    [Fact]
    public void Linear_exact_gelu_linear_layer_norm_per_vector_and_per_token()
    {
        const string yaml = """
            model: TinyProjection
            modalities:
              v: { shape: [3] }
              s: { shape: [3, 2] }
            encoders:
              v_p: { op: projection, input: v, out: 4, dropout: 0.5 }
              s_p: { op: projection, input: s, out: 4, dropout: 0.5 }
              s_pooled: { op: pool, input: s_p, mode: first }
            heads:
              y: { type: regressor, input: v_p, outputs: 1 }
              z: { type: regressor, input: s_pooled, outputs: 1 }
            losses:
              - { type: mse, head: y }
              - { type: mse, head: z }
            """;
        var model = ReferenceModel.Compile(yaml);
        // Inputs of magnitude up to 4 reach the part of GELU where the tanh approximation differs by ~1e-3.
        var v = ReferenceModel.FixedVectors(3, 3, salt: 1).Select(r => PlainMath.Scale(r, 4)).ToArray();
        var s = ReferenceModel.FixedSequences(3, 3, 2, salt: 2);
        var outputs = model.Forward(ReferenceModel.Vectors("v", v), ReferenceModel.Sequences("s", s));

        double[] Project(string node, double[] x) => PlainMath.LayerNorm(
            PlainMath.Linear(PlainMath.Map(PlainMath.Linear(x, model.Get(node + ".fc1.weight"), model.Get(node + ".fc1.bias")), PlainMath.Gelu),
                model.Get(node + ".fc2.weight"), model.Get(node + ".fc2.bias")),
            model.Get(node + ".norm.weight"), model.Get(node + ".norm.bias"));
        ReferenceModel.AssertClose(v.Select(r => Project("v_p", r)).ToArray(), outputs.Representations["v_p"], 1e-5);
        ReferenceModel.AssertClose(s.Select(steps => Project("s_p", steps[0])).ToArray(), outputs.Representations["s_pooled"], 1e-5);
    }
}
