using Fusion.Runtime.Models;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// GAN-Fusion (methods.md section 3) in evaluation mode (no input noise, batch norms on their running
/// statistics, set here to fixed values): the fused output
/// <c>ReLU(fuse2(tanh(fuse1([z_g^1; z_g^2; z_g^3]))))</c> with <c>z_g^t = G_t(z_t)</c>, the model's
/// adversarial term <c>sum_t BCE(D_t(z_g^t), 1)</c> and the adversary steps' terms
/// (<c>sum_t BCE(D_t(z_tr^t), 1)</c>, <c>L_AF = sum_t MSE(z_hat^t, z^t)</c>, <c>sum_t BCE(D_t(z_g^t), 0)</c>,
/// <c>z_tr^t</c> the autofusion of the other inputs) equal a plain computation.
/// G and D are <c>Linear -> BN -> LeakyReLU(0.2) -> Linear -> BN -> LeakyReLU(0.2) -> Linear</c>.
/// </summary>
public sealed class GanFusionReferenceTests
{
    private static readonly string[] Names = ["a", "b", "c"];
    private static readonly int[] Widths = [4, 2, 2];

    /// <summary>Relative to max(1, |value|): float32 against double (every value agrees within 1e-6 here; 1e-5 leaves a margin).</summary>
    private const double Tolerance = 1e-5;

    private const string Yaml = """
        model: TinyGanFusion
        modalities:
          a: { shape: [4] }
          b: { shape: [2] }
          c: { shape: [2] }
        fusion:
          gan: { op: ganfusion, inputs: [a, b, c], latent: 4 }
        heads:
          y: { type: regressor, input: gan, outputs: 1 }
        losses:
          - { type: mse, head: y }
          - { type: adversarial, name: gan_loss, node: gan, weight: 0.5 }
        """;

    [Fact]
    public void Fused_output_and_every_loss_term_equal_the_plain_computation()
    {
        var model = ReferenceModel.Compile(Yaml);
        // Running statistics away from their initial 0 and 1, so that evaluation's use of them shows.
        int buffer = 0;
        foreach (var (key, _) in model.Model.NamedBuffers().ToList())
        {
            if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            int salt = buffer++;
            var values = model.Get(key).Select((_, i) => ReferenceModel.FixedValue(50 + salt, i)).ToArray();
            model.Set(key, key.EndsWith("running_var", StringComparison.Ordinal) ? values.Select(v => 0.5f + Math.Abs(v)).ToArray() : values);
        }

        const int batch = 3;
        var inputs = Names.Select((_, m) => ReferenceModel.FixedVectors(batch, Widths[m], salt: m + 1)).ToArray();
        var y = ReferenceModel.FixedVectors(batch, 1, salt: 9);
        var (outputs, loss) = model.ForwardAndLoss(
            ReferenceModel.Vectors("a", inputs[0]), ReferenceModel.Vectors("b", inputs[1]), ReferenceModel.Vectors("c", inputs[2]), ReferenceModel.Vectors("y", y));

        var generated = Enumerable.Range(0, batch).Select(s => Names.Select((n, t) => Network(model, $"gan.generator.{n}.", inputs[t][s])).ToArray()).ToArray();
        var real = Enumerable.Range(0, batch).Select(s => Names.Select((n, t) => AutoFusion(model, $"gan.autofusion.{n}.", Others(inputs, t, s)).Latent).ToArray()).ToArray();
        var fused = generated.Select(g =>
            PlainMath.Map(PlainMath.Linear(PlainMath.Map(PlainMath.Linear(PlainMath.Concat(g), model.Get("gan.fuse1.weight"), model.Get("gan.fuse1.bias")), Math.Tanh), model.Get("gan.fuse2.weight"), model.Get("gan.fuse2.bias")), PlainMath.Relu)).ToArray();
        ReferenceModel.AssertClose(fused, outputs.Representations["gan"], Tolerance);
        ReferenceModel.AssertClose(generated.Select(g => PlainMath.Concat(g)).ToArray(), outputs.Representations["gan:generated"], Tolerance);
        ReferenceModel.AssertClose(real.Select(r => PlainMath.Concat(r)).ToArray(), outputs.Representations["gan:real"], Tolerance);

        var prediction = fused.Select(f => PlainMath.Linear(f, model.Get("y.layers.0.weight"), model.Get("y.layers.0.bias"))[0]).ToArray();
        double mse = prediction.Select((p, s) => (p - y[s][0]) * (p - y[s][0])).Average();
        // BCE with logits: label 1 is softplus(-x), label 0 is softplus(x); mean over the batch, sum over the targets.
        double Bce(double[][][] samples, double label) => Names.Select((n, t) =>
            samples.Select(sample => Network(model, $"gan.discriminator.{n}.", sample[t])[0]).Select(x => Softplus(label == 1 ? -x : x)).Average()).Sum();
        double adversarial = Bce(generated, 1);
        double reconstruction = Names.Select((n, t) => Enumerable.Range(0, batch).Select(s =>
        {
            var z = Others(inputs, t, s);
            var reconstructed = AutoFusion(model, $"gan.autofusion.{n}.", z).Reconstruction;
            return z.Select((v, i) => (reconstructed[i] - v) * (reconstructed[i] - v)).Average();
        }).Average()).Sum();

        AssertNear(mse, loss["mse"].Item());
        AssertNear(adversarial, loss["gan_loss"].Item());
        AssertNear(mse + 0.5 * adversarial, loss.Total.Item());

        var scheme = model.Model.Adversarial;
        Assert.NotNull(scheme);
        Assert.Equal(2, scheme.StepCount);
        var realStep = scheme.Step(0, outputs)!;
        var fakeStep = scheme.Step(1, outputs)!;
        Assert.Equal(["gan_d_real", "gan_autofusion"], realStep.Terms.Select(t => t.Name));
        Assert.Equal(["gan_d_fake"], fakeStep.Terms.Select(t => t.Name));
        AssertNear(Bce(real, 1), realStep["gan_d_real"].Item());
        AssertNear(reconstruction, realStep["gan_autofusion"].Item());
        AssertNear(Bce(generated, 0), fakeStep["gan_d_fake"].Item());

        var adversaryKeys = model.Model.NamedParameters().Select(p => p.Name).Where(scheme.IsAdversaryParameter).ToList();
        Assert.All(adversaryKeys, k => Assert.True(k.StartsWith("gan.discriminator.", StringComparison.Ordinal) || k.StartsWith("gan.autofusion.", StringComparison.Ordinal), k));
        Assert.Equal(model.Model.NamedParameters().Count(p => p.Name.StartsWith("gan.discriminator.", StringComparison.Ordinal) || p.Name.StartsWith("gan.autofusion.", StringComparison.Ordinal)), adversaryKeys.Count);
    }

    private static void AssertNear(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    /// <summary>The concatenated inputs of sample <paramref name="s"/> other than target <paramref name="t"/>, in input order.</summary>
    private static double[] Others(double[][][] inputs, int t, int s) =>
        PlainMath.Concat(inputs.Where((_, m) => m != t).Select(x => x[s]).ToArray());

    /// <summary>Linear, eval-mode BatchNorm1d, LeakyReLU(0.2) twice, then the last Linear.</summary>
    private static double[] Network(ReferenceModel model, string prefix, double[] x)
    {
        var h = x;
        for (int i = 0; i < 2; i++)
        {
            h = PlainMath.Linear(h, model.Get($"{prefix}layers.{i}.weight"), model.Get($"{prefix}layers.{i}.bias"));
            var mean = model.Get($"{prefix}norms.{i}.running_mean");
            var variance = model.Get($"{prefix}norms.{i}.running_var");
            var gamma = model.Get($"{prefix}norms.{i}.weight");
            var beta = model.Get($"{prefix}norms.{i}.bias");
            h = h.Select((v, j) => (v - mean[j]) / Math.Sqrt(variance[j] + 1e-5) * gamma[j] + beta[j]).ToArray();
            h = PlainMath.Map(h, v => PlainMath.LeakyRelu(v, 0.2));
        }

        return PlainMath.Linear(h, model.Get($"{prefix}layers.2.weight"), model.Get($"{prefix}layers.2.bias"));
    }

    /// <summary>AutoFusion: latent <c>ReLU(encoder2(tanh(encoder1(z))))</c>, reconstruction <c>decoder2(ReLU(decoder1(latent)))</c>.</summary>
    private static (double[] Latent, double[] Reconstruction) AutoFusion(ReferenceModel model, string prefix, double[] z)
    {
        var latent = PlainMath.Map(PlainMath.Linear(PlainMath.Map(PlainMath.Linear(z, model.Get(prefix + "encoder1.weight"), model.Get(prefix + "encoder1.bias")), Math.Tanh), model.Get(prefix + "encoder2.weight"), model.Get(prefix + "encoder2.bias")), PlainMath.Relu);
        var reconstruction = PlainMath.Linear(PlainMath.Map(PlainMath.Linear(latent, model.Get(prefix + "decoder1.weight"), null), PlainMath.Relu), model.Get(prefix + "decoder2.weight"), null);
        return (latent, reconstruction);
    }
}
