using Fusion.Runtime.Nn;
using Fusion.Runtime.Operators;

namespace Fusion.Runtime.Tests;

/// <summary>
/// GAN-Fusion's operator: finite-difference gradients of the fused output and of every loss, with
/// respect to the inputs and the parameters each one should reach; the losses of the adversary
/// side reach no input; the training-mode noise is 0.01 standard normal from the given source and
/// evaluation adds none.
/// </summary>
public sealed class GanFusionGradientTests
{
    private static readonly InputWidth[] Inputs = [new("a", 2), new("b", 4), new("c", 2)];

    private static Tensor[] Batch(ulong seed) => GradientChecker.Inputs(seed, [4, 2], [4, 4], [4, 2]);

    private static Tensor[] ParametersUnder(Module module, params string[] prefixes) =>
        module.NamedParameters().Where(p => prefixes.Any(prefix => p.Name.StartsWith(prefix, StringComparison.Ordinal))).Select(p => p.Parameter).ToArray();

    [Fact]
    public void Fused_output_in_evaluation_reaches_inputs_generators_and_fuse_layers()
    {
        var gan = new GanFusion(Inputs, 4, new RandomSource(31));
        gan.Eval();
        var reached = ParametersUnder(gan, "generator.", "fuse1.", "fuse2.");
        GradientChecker.Check(x => gan.Forward([x[0], x[1], x[2]]).Fused, Batch(32).Concat(reached).ToArray());
    }

    [Fact]
    public void Fused_output_in_training_with_batch_statistics()
    {
        // Batch statistics move every pre-activation when one input moves; at this seed none crosses a
        // (Leaky)ReLU kink within the finite-difference step (seed 60 has one that does).
        var gan = new GanFusion(Inputs, 4, new RandomSource(50), noiseStd: 0f);
        GradientChecker.Check(x => gan.Forward([x[0], x[1], x[2]]).Fused, Batch(51).Concat(ParametersUnder(gan, "generator.a.")).ToArray());
    }

    [Fact]
    public void Generator_loss_reaches_inputs_generators_and_discriminators()
    {
        var gan = new GanFusion(Inputs, 4, new RandomSource(35), noiseStd: 0f);
        var reached = ParametersUnder(gan, "generator.b.", "discriminator.b.");
        GradientChecker.Check(x => gan.GeneratorLoss(gan.Forward([x[0], x[1], x[2]]).Generated), Batch(36).Concat(reached).ToArray());
    }

    [Fact]
    public void Real_loss_reaches_the_discriminators_only()
    {
        var gan = new GanFusion(Inputs, 4, new RandomSource(37), noiseStd: 0f);
        GradientChecker.Check(x => gan.RealLoss(gan.Forward(Batch(38)).Real), ParametersUnder(gan, "discriminator.a."));
        AssertReachesOnly(gan, x => gan.RealLoss(gan.Forward(x).Real), "discriminator.");
    }

    [Fact]
    public void Fake_loss_reaches_the_discriminators_only()
    {
        var gan = new GanFusion(Inputs, 4, new RandomSource(39), noiseStd: 0f);
        GradientChecker.Check(x => gan.FakeLoss(gan.Forward(Batch(40)).Generated), ParametersUnder(gan, "discriminator.c."));
        AssertReachesOnly(gan, x => gan.FakeLoss(gan.Forward(x).Generated), "discriminator.");
    }

    [Fact]
    public void Reconstruction_loss_reaches_the_autofusions_only()
    {
        var gan = new GanFusion(Inputs, 4, new RandomSource(41), noiseStd: 0f);
        GradientChecker.Check(x => gan.ReconstructionLoss(gan.Forward(Batch(42)).ReconstructionErrors), ParametersUnder(gan, "autofusion."));
        AssertReachesOnly(gan, x => gan.ReconstructionLoss(gan.Forward(x).ReconstructionErrors), "autofusion.");
    }

    [Fact]
    public void Reconstruction_loss_is_the_sum_of_each_autofusions_mse()
    {
        var gan = new GanFusion(Inputs, 4, new RandomSource(43));
        var x = Batch(44);
        double expected = 0;
        for (int t = 0; t < 3; t++)
        {
            var others = x.Where((_, j) => j != t).ToList();
            expected += gan.AutoFusionFor(t).Forward(others).ReconstructionLoss().Item();
        }

        Assert.Equal(expected, gan.ReconstructionLoss(gan.Forward(x).ReconstructionErrors).Item(), 5);
    }

    [Fact]
    public void Training_adds_noise_of_scale_one_hundredth_from_the_source_and_evaluation_adds_none()
    {
        var source = new RandomSource(45);
        var noisy = new GanFusion(Inputs, 4, source);
        var clean = new GanFusion(Inputs, 4, new RandomSource(45), noiseStd: 0f);
        var copy = new RandomSource(0);
        copy.SetState(source.GetState());
        var x = Batch(46);
        var withNoise = noisy.Forward(x).Fused.ToArray();
        var shifted = x.Select((xi, t) => xi + Tensor.Normal(copy, 0f, 1f, xi.Shape) * 0.01f).ToArray();
        var expected = clean.Forward(shifted).Fused.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal((double)expected[i], withNoise[i], 4);
        Assert.NotEqual(clean.Forward(x).Fused.ToArray(), withNoise);

        var evaluated = new GanFusion(Inputs, 4, new RandomSource(45));
        var evaluatedClean = new GanFusion(Inputs, 4, new RandomSource(45), noiseStd: 0f);
        evaluated.Eval();
        evaluatedClean.Eval();
        var first = evaluated.Forward(x).Fused.ToArray();
        Assert.Equal(first, evaluated.Forward(x).Fused.ToArray());
        Assert.Equal(evaluatedClean.Forward(x).Fused.ToArray(), first);
    }

    [Fact]
    public void Adversary_side_is_the_discriminators_and_autofusions()
    {
        var gan = new GanFusion(Inputs, 4, new RandomSource(47));
        var adversary = gan.NamedParameters().Where(p => gan.IsAdversaryParameter(p.Name)).Select(p => p.Name).ToList();
        Assert.All(adversary, k => Assert.True(k.StartsWith("discriminator.", StringComparison.Ordinal) || k.StartsWith("autofusion.", StringComparison.Ordinal), k));
        Assert.Equal(gan.NamedParameters().Count(p => p.Name.StartsWith("discriminator.", StringComparison.Ordinal) || p.Name.StartsWith("autofusion.", StringComparison.Ordinal)), adversary.Count);
        Assert.DoesNotContain(gan.NamedParameters(), p => p.Name.StartsWith("generator.", StringComparison.Ordinal) && gan.IsAdversaryParameter(p.Name));
    }

    /// <summary>Backward of <paramref name="loss"/> leaves a gradient on the parameters under <paramref name="prefix"/> only, and none on the inputs.</summary>
    private static void AssertReachesOnly(GanFusion gan, Func<Tensor[], Tensor> loss, string prefix)
    {
        var x = Batch(48);
        foreach (var xi in x) xi.RequiresGrad = true;
        gan.ZeroGrad();
        loss(x).Backward();
        Assert.All(x, xi => Assert.Null(xi.Grad));
        foreach (var (name, p) in gan.NamedParameters())
        {
            bool expected = name.StartsWith(prefix, StringComparison.Ordinal);
            Assert.True(expected == (p.Grad is not null && p.Grad.ToArray().Any(g => g != 0f)), $"{name}: gradient {(p.Grad is null ? "none" : "present")}, expected {(expected ? "one" : "none")}");
        }
    }
}
