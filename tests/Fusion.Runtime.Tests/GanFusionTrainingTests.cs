using Fusion.Runtime.Models;
using Fusion.Runtime.Nn;
using Fusion.Runtime.Training;

namespace Fusion.Runtime.Tests;

/// <summary>
/// The trainer's adversarial scheme on a GAN-Fusion model: per batch, adversary step 1 (the
/// discriminators on real plus L_AF) changes only discriminator and autofusion parameters, step 2
/// (the discriminators on fake) only discriminator parameters, and the model's own step leaves both
/// unchanged; every term reaches metrics.jsonl; a resumed run equals an uninterrupted one (the second
/// optimiser's state is saved).
/// </summary>
public sealed class GanFusionTrainingTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "fusion-ganfusion-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private static Dictionary<string, float[]> Parameters(Module model) => model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());

    private static List<string> Changed(Dictionary<string, float[]> before, Dictionary<string, float[]> after) =>
        before.Keys.Where(k => !before[k].SequenceEqual(after[k])).ToList();

    private static bool IsDiscriminator(string key) => key.StartsWith("gan.discriminator.", StringComparison.Ordinal);

    private static bool IsAutoFusion(string key) => key.StartsWith("gan.autofusion.", StringComparison.Ordinal);

    [Fact]
    public void Adversary_steps_change_only_the_adversaries_and_the_model_step_leaves_them_unchanged()
    {
        var model = new GanFusionTestModel(new RandomSource(1), GanFusionTestModel.Settings());
        var snapshots = new List<(int Stage, Dictionary<string, float[]> Parameters)>();
        model.Stage = stage =>
        {
            if (snapshots.Count < 4) snapshots.Add((stage, Parameters(model)));
        };
        new Trainer(model).Fit(GanFusionTestModel.Data(64), null);

        Assert.Equal([0, 1, 2, 0], snapshots.Select(s => s.Stage));
        var step1 = Changed(snapshots[0].Parameters, snapshots[1].Parameters);
        var step2 = Changed(snapshots[1].Parameters, snapshots[2].Parameters);
        var step3 = Changed(snapshots[2].Parameters, snapshots[3].Parameters);

        Assert.All(step1, k => Assert.True(IsDiscriminator(k) || IsAutoFusion(k), $"step 1 changed {k}"));
        Assert.Contains(step1, IsDiscriminator);
        Assert.Contains(step1, IsAutoFusion);
        Assert.All(step2, k => Assert.True(IsDiscriminator(k), $"step 2 changed {k}"));
        Assert.Contains(step2, IsDiscriminator);
        Assert.All(step3, k => Assert.False(IsDiscriminator(k) || IsAutoFusion(k), $"step 3 changed {k}"));
        foreach (var prefix in new[] { "encoders.", "gan.generator.", "gan.fuse1.", "gan.fuse2.", "y_head." })
            Assert.Contains(step3, k => k.StartsWith(prefix, StringComparison.Ordinal));
        // Every parameter belongs to exactly one of the two optimisers: together the steps move all of them.
        Assert.Equal(snapshots[0].Parameters.Keys.Order(), step1.Concat(step2).Concat(step3).Distinct().Order());
    }

    [Fact]
    public void Every_term_of_every_step_is_logged()
    {
        var model = new GanFusionTestModel(new RandomSource(2), GanFusionTestModel.Settings(epochs: 2));
        var data = GanFusionTestModel.Data().Split([0.75, 0.25], new RandomSource(3));
        var output = Path.Combine(folder, "log");
        new Trainer(model, new TrainerOptions { OutputDirectory = output }).Fit(data[0], data[1]);

        var lines = File.ReadAllLines(Path.Combine(output, TrainerOptions.MetricsFile));
        Assert.Equal(2, lines.Length);
        using var json = System.Text.Json.JsonDocument.Parse(lines[0]);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        foreach (var name in new[] { "train_loss", "train_mse", "train_gan_loss", "train_gan_d_real", "train_gan_d_fake", "train_gan_autofusion", "val_loss", "val_gan_loss" })
            Assert.Contains(name, names);
        // The model's own terms first (in the spec's order), then the adversaries'.
        Assert.True(names.IndexOf("train_gan_loss") < names.IndexOf("train_gan_d_real"), string.Join(", ", names));
        var e = json.RootElement;
        // train_loss is the model's own loss (task + weight * adversarial), not the adversaries'.
        Assert.Equal(e.GetProperty("train_mse").GetDouble() + 0.5 * e.GetProperty("train_gan_loss").GetDouble(), e.GetProperty("train_loss").GetDouble(), 5);
        // Three discriminators start near chance: each BCE near ln 2.
        Assert.InRange(e.GetProperty("train_gan_d_fake").GetDouble(), 3 * 0.3, 3 * 1.2);
    }

    [Fact]
    public void Resuming_restores_both_optimisers_and_equals_an_uninterrupted_run()
    {
        var data = GanFusionTestModel.Data().Split([0.75, 0.25], new RandomSource(3));
        (GanFusionTestModel Model, string Metrics) Run(string name, int epochs, string? resume = null)
        {
            // No noise: the model's own random source is not part of the resume state.
            // With gradient clipping, which each optimiser applies to its own parameters.
            var model = new GanFusionTestModel(new RandomSource(4), GanFusionTestModel.Settings(epochs: 3) with { ClipGradNorm = 0.5 }, noiseStd: 0f);
            var output = Path.Combine(folder, name);
            new Trainer(model, new TrainerOptions { Epochs = epochs, OutputDirectory = output, ResumeFrom = resume }).Fit(data[0], data[1]);
            return (model, File.ReadAllText(Path.Combine(output, TrainerOptions.MetricsFile)));
        }

        var (whole, wholeMetrics) = Run("whole", 3);
        Run("split", 1);
        string state = Path.Combine(folder, "split", TrainerOptions.StateFile);
        var keys = ModuleCheckpoint.ReadStateDict(state, out _).Keys.ToList();
        Assert.Contains(keys, k => k.StartsWith("adversary_optimizer.", StringComparison.Ordinal));
        var (resumed, resumedMetrics) = Run("split", 3, state);

        Assert.Equal(wholeMetrics, resumedMetrics);
        var expected = whole.StateDict();
        foreach (var (key, tensor) in resumed.StateDict()) Assert.Equal(expected[key].ToArray(), tensor.ToArray());
    }

    [Fact]
    public void Scheme_matches_whole_module_keys_and_skips_a_step_whose_values_are_not_among_the_outputs()
    {
        var gan = new Operators.GanFusion([new("a", 2), new("b", 2)], 2, new RandomSource(5));
        var scheme = new AdversarialScheme([("fusion.gan", gan)]);
        Assert.True(scheme.IsAdversaryParameter("fusion.gan.discriminator.a.layers.0.weight"));
        Assert.True(scheme.IsAdversaryParameter("fusion.gan.autofusion.b.encoder1.bias"));
        Assert.False(scheme.IsAdversaryParameter("fusion.gan.generator.a.layers.0.weight"));
        Assert.False(scheme.IsAdversaryParameter("fusion.gan2.discriminator.a.layers.0.weight"));
        Assert.False(scheme.IsAdversaryParameter("fusion.gandiscriminator.a.layers.0.weight"));

        // A ganfusion node without its adversarial loss puts no side values among the outputs: no adversary step runs.
        var empty = new FusionOutputs(new Dictionary<string, Tensor>(), new Dictionary<string, Tensor>());
        Assert.Null(scheme.Step(0, empty));
        Assert.Null(scheme.Step(1, empty));

        var result = gan.Forward([Tensor.Ones(3, 2), Tensor.Zeros(3, 2)]);
        var outputs = new FusionOutputs(new Dictionary<string, Tensor>(), new Dictionary<string, Tensor>
        {
            ["fusion.gan:generated"] = result.Generated,
            ["fusion.gan:real"] = result.Real,
            ["fusion.gan:reconstruction_errors"] = result.ReconstructionErrors,
        });
        Assert.Equal(["fusion_gan_d_real", "fusion_gan_autofusion"], scheme.Step(0, outputs)!.Terms.Select(t => t.Name));
        Assert.Equal(["fusion_gan_d_fake"], scheme.Step(1, outputs)!.Terms.Select(t => t.Name));
    }

    [Fact]
    public void A_model_without_adversarial_modules_has_no_scheme()
    {
        Assert.Null(new TrainingTestModel(new RandomSource(0), TrainingTestModel.Settings()).Adversarial);
    }
}
