using System.Text.Json;

namespace Fusion.Cli.Tests;

/// <summary>
/// <c>fusion probe</c> on a model with a classifier and a regressor head (one short training run
/// shared by the tests): the classifier's target and the first head's input are the defaults,
/// the shared-latent class is still on offer, and a regression target or a class count that
/// contradicts the spec is refused on one line.
/// </summary>
public sealed class ProbeTargetTests : IClassFixture<ProbeTargetTests.TrainedTwoHeads>
{
    private readonly TrainedTwoHeads trained;

    public ProbeTargetTests(TrainedTwoHeads trained) => this.trained = trained;

    private static string Spec => RepoPaths.Fixture("tiny-two-heads.yaml");

    [Fact]
    public void The_classifier_target_and_the_first_heads_input_are_the_defaults()
    {
        var result = CliRun.Of("probe", Spec, "--run", trained.Run);
        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.StartsWith("probe joint [8] -> label (3 classes): test accuracy ", result.OutLines[0]);
        Assert.Contains("102/13/13 samples", result.OutLines[0]);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(trained.Run, "probe.json")));
        Assert.Equal(3, json.RootElement.GetProperty("classes").GetInt32());
    }

    [Fact]
    public void The_shared_latent_class_is_on_offer_beside_the_specs_targets()
    {
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--target", "shared_class", "--classes", "2");
        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.StartsWith("probe joint [8] -> shared_class (2 classes): test accuracy ", result.OutLines[0]);
    }

    [Fact]
    public void A_regression_target_is_refused()
    {
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--target", "score");
        Assert.Equal(1, result.Exit);
        Assert.Equal($"fusion: {Spec}: target 'score' is a regression target; the probe predicts class labels (a classifier target, or an integer label column of the data).", result.ErrLines.Single());
    }

    [Fact]
    public void A_class_count_other_than_the_specs_is_refused()
    {
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--classes", "5");
        Assert.Equal(1, result.Exit);
        Assert.Equal($"fusion: {Spec}: target 'label' has 3 classes in the spec, not 5 (--classes).", result.ErrLines.Single());
    }

    [Fact]
    public void Fewer_than_two_classes_is_a_usage_error()
    {
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--classes", "1");
        Assert.Equal(1, result.Exit);
        Assert.Equal("fusion: --classes must be at least 2 (got 1)", result.ErrLines.Single());
    }

    /// <summary>The two-head model trained for its 2 epochs on its 128 synthetic samples, once for the class.</summary>
    public sealed class TrainedTwoHeads : IDisposable
    {
        private readonly RunFolder folder = new();

        public TrainedTwoHeads()
        {
            var result = CliRun.Of("train", Spec, "--out", folder.Path);
            Assert.True(result.Exit == 0, result.Out + result.Err);
        }

        public string Run => folder.Path;

        public void Dispose() => folder.Dispose();
    }
}
