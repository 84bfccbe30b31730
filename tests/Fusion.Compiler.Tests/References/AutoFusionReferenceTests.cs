namespace Fusion.Compiler.Tests.References;

/// <summary>
/// AutoFusion (methods.md section 3): <c>z = [z_1; ...; z_M]</c>, latent <c>z_c = ReLU(W_2 tanh(W_1 z + b_1) + b_2)</c>,
/// reconstruction <c>z_hat = W_4 ReLU(W_3 z_c)</c> (bare matrices), <c>L_AF = MSE(z_hat, z)</c>, and the total
/// loss <c>L_task + lambda L_AF</c>.
/// </summary>
public sealed class AutoFusionReferenceTests
{
    [Fact]
    public void Latent_reconstruction_and_the_reconstruction_term()
    {
        const string yaml = """
            model: TinyAutoFusion
            modalities:
              a: { shape: [3] }
              b: { shape: [3] }
            fusion:
              af: { op: autofusion, inputs: [a, b], latent: 2 }
            heads:
              y: { type: regressor, input: af, outputs: 1 }
            losses:
              - { type: mse, head: y }
              - { type: reconstruction, name: l_af, node: af, weight: 0.5 }
            """;
        var model = ReferenceModel.Compile(yaml);
        var a = ReferenceModel.FixedVectors(4, 3, salt: 1);
        var b = ReferenceModel.FixedVectors(4, 3, salt: 2);
        var target = ReferenceModel.FixedVectors(4, 1, salt: 3);
        var (outputs, loss) = model.ForwardAndLoss(ReferenceModel.Vectors("a", a), ReferenceModel.Vectors("b", b), ReferenceModel.Vectors("y", target));

        var z = a.Select((row, s) => PlainMath.Concat(row, b[s])).ToArray();
        var latent = z.Select(r => PlainMath.Map(PlainMath.Linear(
            PlainMath.Map(PlainMath.Linear(r, model.Get("af.encoder1.weight"), model.Get("af.encoder1.bias")), Math.Tanh),
            model.Get("af.encoder2.weight"), model.Get("af.encoder2.bias")), PlainMath.Relu)).ToArray();
        var reconstruction = latent.Select(r => PlainMath.Linear(
            PlainMath.Map(PlainMath.Linear(r, model.Get("af.decoder1.weight"), null), PlainMath.Relu),
            model.Get("af.decoder2.weight"), null)).ToArray();
        Assert.Contains(latent, r => r.Any(v => v > 0));
        ReferenceModel.AssertClose(latent, outputs.Representations["af"], 1e-5);
        ReferenceModel.AssertClose(reconstruction, outputs.Representations["af:reconstruction"], 1e-5);

        double lAf = z.SelectMany((r, s) => r.Select((v, j) => (reconstruction[s][j] - v) * (reconstruction[s][j] - v))).Average();
        var prediction = latent.Select(r => PlainMath.Linear(r, model.Get("y.layers.0.weight"), model.Get("y.layers.0.bias"))).ToArray();
        double task = prediction.Select((p, s) => (p[0] - target[s][0]) * (p[0] - target[s][0])).Average();
        Assert.Equal(lAf, loss["l_af"].Item(), 1e-5);
        Assert.Equal(task + 0.5 * lAf, loss.Total.Item(), 1e-5);
    }
}
