namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The contrastive loss (methods.md sections 0 and 1): <c>z_a, z_b</c> L2-normalised,
/// <c>logits = s z_a z_b^T</c>, <c>L = (CE(logits, I) + CE(logits^T, I)) / 2</c>, with a fixed
/// <c>s = 1 / temperature</c> or a learnable <c>s = min(exp(t), max_scale)</c>.
/// </summary>
public sealed class ContrastiveReferenceTests
{
    [Fact]
    public void Fixed_scale_is_one_over_the_temperature()
    {
        var model = Compile("scale: fixed, temperature: 0.25");
        Assert.Equal(Expected(4.0), Loss(model), 1e-5);
    }

    [Theory]
    [InlineData(1.2f, 3.3201169227365472)]   // exp(1.2)
    [InlineData(5.0f, 20.0)]                 // exp(5) = 148.4, clamped at max_scale
    public void Learnable_scale_is_exp_t_clamped_at_max_scale(float t, double scale)
    {
        var model = Compile("scale: learnable, temperature: 0.5, max_scale: 20");
        model.Set("losses.clip.logit_scale", [t]);
        Assert.Equal(Expected(scale), Loss(model), 1e-5);
    }

    [Fact]
    public void Learnable_scale_starts_at_log_one_over_the_temperature()
    {
        var yaml = Yaml("scale: learnable, temperature: 0.5, max_scale: 20");
        var read = Fusion.Spec.SpecReader.Parse(yaml, "fresh.yaml");
        var emitted = Fusion.Compiler.Emit.ModuleEmitter.Emit(read.Spec!);
        var compiled = GeneratedCompilation.Compile(emitted.Source!, read.Spec!);
        var type = compiled.Assembly!.GetTypes().Single(t => t.IsSubclassOf(typeof(Fusion.Runtime.Models.FusionModel)));
        var fresh = (Fusion.Runtime.Models.FusionModel)Activator.CreateInstance(type, new Fusion.Runtime.RandomSource(0))!;
        Assert.Equal(Math.Log(2), fresh.StateDict()["losses.clip.logit_scale"].Item(), 1e-6);
    }

    private static readonly double[][] A = AlignmentLossInputs.Scattered(4, 3, salt: 1);
    private static readonly double[][] B = AlignmentLossInputs.Scattered(4, 3, salt: 2);

    private static string Yaml(string options) => $$"""
        model: TinyContrastive
        modalities:
          a: { shape: [3] }
          b: { shape: [3] }
        encoders:
          za: { op: identity, input: a }
          zb: { op: identity, input: b }
        heads:
          e: { type: embedding, input: za, dim: 2 }
        losses:
          - { type: contrastive, name: clip, between: [za, zb], {{options}} }
        """;

    private static ReferenceModel Compile(string options) => ReferenceModel.Compile(Yaml(options));

    private static double Loss(ReferenceModel model) =>
        model.ForwardAndLoss(ReferenceModel.Vectors("a", A), ReferenceModel.Vectors("b", B)).Loss["clip"].Item();

    private static double Expected(double scale)
    {
        double[] Normalise(double[] v) => PlainMath.Scale(v, 1 / Math.Sqrt(PlainMath.Dot(v, v)));
        var za = A.Select(Normalise).ToArray();
        var zb = B.Select(Normalise).ToArray();
        int n = za.Length;
        var logits = za.Select(r => zb.Select(c => scale * PlainMath.Dot(r, c)).ToArray()).ToArray();
        double CrossEntropy(Func<int, int, double> logit) => Enumerable.Range(0, n).Average(i =>
            -Math.Log(PlainMath.Softmax(Enumerable.Range(0, n).Select(j => logit(i, j)).ToArray())[i]));
        return (CrossEntropy((i, j) => logits[i][j]) + CrossEntropy((i, j) => logits[j][i])) / 2;
    }
}
