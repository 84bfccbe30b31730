using System.Text.Json;
using Fusion.Runtime.Data;

namespace Fusion.Cli.Tests;

/// <summary>
/// <c>fusion probe</c> on a run of the tiny retrieval model (two embedding heads aligned by a
/// contrastive loss, synthetic data; one short training run shared by the tests): a linear probe
/// of the frozen representation predicts the class of the shared latent far above chance, from
/// the synthetic generator or from a label column of an .npz file, and bad requests are one-line errors.
/// </summary>
public sealed class ProbeCommandTests : IClassFixture<ProbeCommandTests.TrainedRetrieval>
{
    private const int Samples = 400;

    private readonly TrainedRetrieval trained;

    public ProbeCommandTests(TrainedRetrieval trained) => this.trained = trained;

    private static string Spec => RepoPaths.Fixture("tiny-retrieval.yaml");

    private static JsonElement ReadResult(string runFolder)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "probe.json")));
        return json.RootElement.Clone();
    }

    [Fact]
    public void Probes_the_first_embedding_heads_input_for_the_shared_latent_class_and_writes_probe_json()
    {
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--samples", $"{Samples}");
        Assert.True(result.Exit == 0, result.Out + result.Err);
        var line = Assert.Single(result.OutLines, l => l.StartsWith("probe ", StringComparison.Ordinal));
        Assert.StartsWith("probe a_h [8] -> shared_class (4 classes): test accuracy ", line);
        Assert.Contains("240/80/80 samples", line);

        var json = ReadResult(trained.Run);
        Assert.Equal("a_h", json.GetProperty("input").GetString());
        Assert.Equal("shared_class", json.GetProperty("target").GetString());
        Assert.Equal(4, json.GetProperty("classes").GetInt32());
        Assert.Equal(80, json.GetProperty("test_samples").GetInt32());
        double accuracy = json.GetProperty("test_accuracy").GetDouble(), chance = json.GetProperty("chance").GetDouble();
        Assert.InRange(chance, 0.25, 0.4);
        Assert.True(accuracy > chance + 0.3, $"test accuracy {accuracy}, chance {chance}");
        Assert.Contains($"test accuracy {accuracy:0.0000} (chance {chance:0.0000})", line);
    }

    [Fact]
    public void Reads_an_undeclared_label_column_of_an_npz_file_and_agrees_with_the_synthetic_labels()
    {
        using var folder = new RunFolder();
        var file = folder.File("views.npz");
        var schema = new DataSchema([new("a", [6], ModalityKind.Vector), new("b", [5], ModalityKind.Vector)], []);
        NpzData.Write(file, SyntheticData.Generate(schema, new SyntheticOptions { Samples = Samples, Latent = 2, Noise = 0.05, SharedClassColumn = "label" }));

        var fromFile = CliRun.Of("probe", Spec, "--run", trained.Run, "--data", file, "--input", "b_view");
        Assert.True(fromFile.Exit == 0, fromFile.Out + fromFile.Err);
        var json = ReadResult(trained.Run);
        Assert.Equal("label", json.GetProperty("target").GetString());
        Assert.Equal(4, json.GetProperty("classes").GetInt32());   // 1 + the largest label
        Assert.Equal(4, json.GetProperty("width").GetInt32());
        double fileAccuracy = json.GetProperty("test_accuracy").GetDouble();

        // the same samples and labels drawn by the generator for the spec's data section
        var synthetic = CliRun.Of("probe", Spec, "--run", trained.Run, "--samples", $"{Samples}", "--input", "b_view");
        Assert.True(synthetic.Exit == 0, synthetic.Out + synthetic.Err);
        Assert.Equal(fileAccuracy, ReadResult(trained.Run).GetProperty("test_accuracy").GetDouble());
    }

    [Fact]
    public void A_vector_modality_probes_the_input_data_itself()
    {
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--samples", $"{Samples}", "--input", "b");
        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.StartsWith("probe b [5] -> shared_class (4 classes): test accuracy ", result.OutLines[0]);
        Assert.Equal(5, ReadResult(trained.Run).GetProperty("width").GetInt32());
    }

    [Fact]
    public void An_unknown_input_names_the_outputs_there_are()
    {
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--samples", "100", "--input", "nope");
        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.ErrLines);
        Assert.Equal("fusion: model 'TinyRetrieval' has no output 'nope'; it has a_view, b_view, a_h, b_h", line);
    }

    [Fact]
    public void An_npz_without_the_label_column_is_refused_naming_the_file_and_what_it_holds()
    {
        using var folder = new RunFolder();
        var file = folder.File("views.npz");
        NpzWriter.Write(file, [
            KeyValuePair.Create("a", new NpyArray([10, 6], new float[60])),
            KeyValuePair.Create("b", new NpyArray([10, 5], new float[50])),
        ]);
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--data", file);
        Assert.Equal(1, result.Exit);
        Assert.Equal($"fusion: {file}: label column 'label' is missing (found: a, b).", result.ErrLines.Single());
    }

    [Fact]
    public void Float_labels_are_refused_naming_the_column_and_dtype()
    {
        using var folder = new RunFolder();
        var file = folder.File("views.npz");
        NpzWriter.Write(file, [
            KeyValuePair.Create("a", new NpyArray([10, 6], new float[60])),
            KeyValuePair.Create("b", new NpyArray([10, 5], new float[50])),
            KeyValuePair.Create("kind", new NpyArray([10], new float[10])),
        ]);
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--data", file, "--target", "kind");
        Assert.Equal(1, result.Exit);
        Assert.StartsWith($"fusion: {file}: target 'kind' has dtype float32 but class labels must be integers", result.ErrLines.Single());
    }

    [Fact]
    public void Synthetic_data_offers_only_the_shared_class_and_the_specs_classifier_targets()
    {
        var result = CliRun.Of("probe", Spec, "--run", trained.Run, "--samples", "100", "--target", "colour");
        Assert.Equal(1, result.Exit);
        Assert.Equal("fusion: synthetic data: there is no label column 'colour'; the class labels are 'shared_class' (the class of the shared latent).", result.ErrLines.Single());
    }

    [Fact]
    public void A_run_folder_without_a_checkpoint_is_a_clear_error()
    {
        using var folder = new RunFolder();
        var result = CliRun.Of("probe", Spec, "--run", folder.Path);
        Assert.Equal(1, result.Exit);
        Assert.StartsWith($"fusion: --run {folder.Path}: no model.safetensors there to probe", result.ErrLines.Single());
    }

    /// <summary>The tiny retrieval model trained for 4 epochs on 400 synthetic samples, once for the class.</summary>
    public sealed class TrainedRetrieval : IDisposable
    {
        private readonly RunFolder folder = new();

        public TrainedRetrieval()
        {
            var result = CliRun.Of("train", Spec, "--epochs", "4", "--samples", $"{Samples}", "--out", folder.Path);
            Assert.True(result.Exit == 0, result.Out + result.Err);
        }

        public string Run => folder.Path;

        public void Dispose() => folder.Dispose();
    }
}
