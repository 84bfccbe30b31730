using Fusion.Runtime.Data;

namespace Fusion.Cli.Tests;

/// <summary>
/// <c>fusion eval</c> and <c>fusion predict</c> on a checkpoint written by <c>fusion train</c>
/// (one short training run shared by the tests of this class), and their refusals.
/// </summary>
public sealed class EvalPredictCommandTests : IClassFixture<EvalPredictCommandTests.TrainedClassifier>
{
    private readonly TrainedClassifier trained;

    public EvalPredictCommandTests(TrainedClassifier trained) => this.trained = trained;

    [Fact]
    public void Eval_reproduces_the_final_test_metrics_of_train()
    {
        var result = CliRun.Of("eval", trained.Spec, "--checkpoint", trained.Checkpoint);
        Assert.True(result.Exit == 0, result.Err);
        Assert.Equal(trained.TestLine, MetricsLine.Find(result, "test"));
    }

    [Fact]
    public void Predict_writes_the_head_outputs_as_n_by_classes()
    {
        using var folder = new RunFolder();
        var file = folder.File("label.npy");
        var result = CliRun.Of("predict", trained.Spec, "--checkpoint", trained.Checkpoint, "--out", file);
        Assert.True(result.Exit == 0, result.Err);
        var array = NpyReader.Read(file);
        Assert.Equal([102, 2], array.Shape);
        Assert.All(array.Floats!, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Eval_on_a_file_uses_all_of_it()
    {
        using var folder = new RunFolder();
        var data = folder.File("data.npz");
        NpzWriter.Write(data, [
            KeyValuePair.Create("a", new NpyArray([10, 6], new float[60])),
            KeyValuePair.Create("b", new NpyArray([10, 6], new float[60])),
            KeyValuePair.Create("label", new NpyArray([10], new long[10])),
        ]);
        var result = CliRun.Of("eval", trained.Spec, "--checkpoint", trained.Checkpoint, "--data", data);
        Assert.True(result.Exit == 0, result.Err);
        var metrics = MetricsLine.Parse(MetricsLine.Find(result, "data"));
        Assert.Contains("accuracy", metrics.Keys);
    }

    [Fact]
    public void Npz_missing_a_modality_is_refused_naming_it()
    {
        using var folder = new RunFolder();
        var data = folder.File("data.npz");
        NpzWriter.Write(data, [
            KeyValuePair.Create("a", new NpyArray([10, 6], new float[60])),
            KeyValuePair.Create("label", new NpyArray([10], new long[10])),
        ]);
        var result = CliRun.Of("eval", trained.Spec, "--checkpoint", trained.Checkpoint, "--data", data);
        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith($"fusion: {data}: modality 'b' is missing", line);
    }

    [Fact]
    public void Npz_with_a_wrong_width_is_refused_naming_the_modality_and_shapes()
    {
        using var folder = new RunFolder();
        var data = folder.File("data.npz");
        NpzWriter.Write(data, [
            KeyValuePair.Create("a", new NpyArray([10, 6], new float[60])),
            KeyValuePair.Create("b", new NpyArray([10, 5], new float[50])),
            KeyValuePair.Create("label", new NpyArray([10], new long[10])),
        ]);
        var result = CliRun.Of("train", trained.Spec, "--data", data, "--out", folder.File("run"));
        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith($"fusion: {data}: modality 'b'", line);
        Assert.True(line.Contains("[10, 5]") && line.Contains("[6]"), line);
        Assert.Contains("[6]", line);
    }

    [Fact]
    public void A_corrupt_checkpoint_is_a_clear_error()
    {
        using var folder = new RunFolder();
        var bad = folder.File("model.safetensors");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        var result = CliRun.Of("eval", trained.Spec, "--checkpoint", bad);
        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith($"fusion: {bad}: not a valid safetensors file", line);
    }

    [Fact]
    public void A_checkpoint_of_another_spec_names_the_hash_and_key_mismatches()
    {
        using var folder = new RunFolder();
        var other = folder.File("other.yaml");
        File.WriteAllText(other, File.ReadAllText(trained.Spec).Replace("out: 4 }", "out: 3 }"));
        var result = CliRun.Of("predict", other, "--checkpoint", trained.Checkpoint, "--out", folder.File("p.npy"));
        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.ErrLines);
        Assert.Contains("does not match spec", line);
        Assert.Contains("spec hash", line);
        Assert.Contains("'a_h.weight' is [4, 6] in the checkpoint but [3, 6]", line);
        Assert.Contains("'label.layers.0.weight' is [2, 25] in the checkpoint but [2, 16]", line);
    }

    [Fact]
    public void A_missing_checkpoint_is_a_clear_error()
    {
        var result = CliRun.Of("eval", trained.Spec, "--checkpoint", "no/such/model.safetensors");
        Assert.Equal(1, result.Exit);
        Assert.Equal("fusion: no/such/model.safetensors: no such checkpoint file", result.ErrLines.Single());
    }

    /// <summary>The tiny classifier trained for 3 epochs once for the class: its spec, checkpoint and printed test line.</summary>
    public sealed class TrainedClassifier : IDisposable
    {
        private readonly RunFolder folder = new();

        public TrainedClassifier()
        {
            Spec = RepoPaths.Fixture("tiny-classifier.yaml");
            var result = CliRun.Of("train", Spec, "--epochs", "3", "--out", folder.Path);
            Assert.True(result.Exit == 0, result.Out + result.Err);
            TestLine = MetricsLine.Find(result, "test");
            Checkpoint = folder.File("model.safetensors");
        }

        public string Spec { get; }

        public string Checkpoint { get; }

        public string TestLine { get; }

        public void Dispose() => folder.Dispose();
    }
}
