using System.Text.Json;
using Fusion.Runtime.Data;

namespace Fusion.Cli.Tests;

/// <summary>
/// Frozen, precomputed embeddings as inputs (CBMF's setting): modalities read from an .npz through
/// <c>identity</c> encoders, a vector per sample and a variable-length sequence with
/// <c>&lt;modality&gt;_lengths</c>; <c>fusion train</c> learns the projections on them and
/// <c>fusion probe</c> reads a label column of the same file; a bad file is one line naming the
/// file, the modality and the shapes (exit 1).
/// </summary>
public sealed class FrozenEmbeddingsTests : IDisposable
{
    private const int Samples = 300;

    private const string SpecText = """
        # Two frozen embeddings per sample (an image vector, a sequence of text-token vectors),
        # projected and aligned contrastively.
        model: FrozenEmbeddings

        modalities:
          image: { shape: [12] }
          text:  { shape: [-1, 10] }

        encoders:
          image_frozen: { op: identity, input: image }
          text_frozen:  { op: identity, input: text }
          text_vec:     { op: pool, input: text_frozen, mode: mean }
          image_proj:   { op: projection, input: image_frozen, out: 8, dropout: 0.0 }
          text_proj:    { op: projection, input: text_vec, out: 8, dropout: 0.0 }

        heads:
          image_embedding: { type: embedding, input: image_proj, dim: 8 }
          text_embedding:  { type: embedding, input: text_proj, dim: 8 }

        losses:
          - { type: contrastive, between: [image_embedding, text_embedding], temperature: 0.1 }

        training:
          optimizer: { type: adam, lr: 1.0e-2 }
          epochs: 6
          batch_size: 32
          seed: 0

        data:
          type: npz
          path: embeddings.npz
          split: [0.6, 0.2, 0.2]
        """;

    private readonly RunFolder folder = new();

    public FrozenEmbeddingsTests()
    {
        File.WriteAllText(SpecPath, SpecText);
    }

    private string SpecPath => folder.File("frozen.yaml");

    private string DataPath => folder.File("embeddings.npz");

    public void Dispose() => folder.Dispose();

    /// <summary>Paired embeddings: both views of a sample share a latent; texts of 4 to 7 steps; a class label of the shared latent.</summary>
    private static IReadOnlyList<KeyValuePair<string, NpyArray>> Embeddings()
    {
        var schema = new DataSchema([new("image", [12], ModalityKind.Vector), new("text", [-1, 10], ModalityKind.Sequence)], []);
        var data = SyntheticData.Generate(schema, new SyntheticOptions { Samples = Samples, Latent = 3, Noise = 0.05, Seed = 11, OpenLength = 7, SharedClassColumn = "label", SharedClasses = 3 });
        return DatasetArrays.ToArrays(data);
    }

    private static IReadOnlyList<KeyValuePair<string, NpyArray>> Replace(string name, NpyArray array) =>
        Embeddings().Select(p => p.Key == name ? KeyValuePair.Create(name, array) : p).ToArray();

    [Fact]
    public void Train_learns_projections_over_frozen_vector_and_sequence_embeddings_and_probe_reads_their_labels()
    {
        NpzWriter.Write(DataPath, Embeddings());
        var run = folder.File("run");
        var result = CliRun.Of("train", SpecPath, "--out", run);
        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.StartsWith("training FrozenEmbeddings (", result.OutLines[0]);
        Assert.Contains("on 180 samples, validating on 60, testing on 60", result.OutLines[0]);

        var epochs = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("val_loss").GetDouble()).ToArray();
        Assert.Equal(6, epochs.Length);
        // ln(32) = 3.47 is a contrastive loss that ignores the inputs (a batch of 32 candidates)
        Assert.True(epochs[^1] < epochs[0] && epochs.Min() < 3.0, $"val_loss by epoch: {string.Join(", ", epochs)}");

        var probe = CliRun.Of("probe", SpecPath, "--run", run, "--input", "text_proj");
        Assert.True(probe.Exit == 0, probe.Out + probe.Err);
        Assert.StartsWith("probe text_proj [8] -> label (3 classes): test accuracy ", probe.OutLines[0]);
    }

    [Fact]
    public void A_folder_of_npy_files_with_lengths_trains_the_same_as_the_npz()
    {
        NpzWriter.Write(DataPath, Embeddings());
        var npy = folder.File("embeddings");
        Directory.CreateDirectory(npy);
        foreach (var (name, array) in Embeddings()) NpyWriter.Write(Path.Combine(npy, name + ".npy"), array);

        Assert.True(File.Exists(Path.Combine(npy, "text_lengths.npy")));
        var fromNpz = CliRun.Of("train", SpecPath, "--epochs", "1", "--out", folder.File("run-npz"));
        var fromNpy = CliRun.Of("train", SpecPath, "--epochs", "1", "--data", npy, "--out", folder.File("run-npy"));
        Assert.True(fromNpz.Exit == 0 && fromNpy.Exit == 0, fromNpz.Err + fromNpy.Err);
        Assert.Equal(MetricsLine.Find(fromNpz, "test"), MetricsLine.Find(fromNpy, "test"));
    }

    [Fact]
    public void A_sequence_of_the_wrong_width_names_the_file_modality_and_shapes()
    {
        NpzWriter.Write(DataPath, Replace("text", new NpyArray([Samples, 7, 9], new float[Samples * 7 * 9])));
        var result = CliRun.Of("train", SpecPath, "--out", folder.File("run"));
        Assert.Equal(1, result.Exit);
        Assert.Equal(
            $"fusion: {DataPath}: modality 'text' has shape [{Samples}, 7, 9] but the spec declares [N, 10] per sample (the step axis is open: any length).",
            result.ErrLines.Single());
    }

    [Fact]
    public void Lengths_of_the_wrong_shape_name_the_array_and_the_modality()
    {
        NpzWriter.Write(DataPath, Replace("text_lengths", new NpyArray([Samples - 1], new long[Samples - 1])));
        var result = CliRun.Of("train", SpecPath, "--out", folder.File("run"));
        Assert.Equal(1, result.Exit);
        Assert.Equal(
            $"fusion: {DataPath}: 'text_lengths' (the lengths of modality 'text') has shape [{Samples - 1}] but the modality has {Samples} samples, so [{Samples}] is expected.",
            result.ErrLines.Single());
    }

    [Fact]
    public void A_vector_given_as_a_sequence_names_the_modality_and_shapes()
    {
        NpzWriter.Write(DataPath, Replace("image", new NpyArray([Samples, 2, 12], new float[Samples * 24])));
        var result = CliRun.Of("train", SpecPath, "--out", folder.File("run"));
        Assert.Equal(1, result.Exit);
        Assert.Equal($"fusion: {DataPath}: modality 'image' has shape [{Samples}, 2, 12] but the spec declares [12] per sample.", result.ErrLines.Single());
    }

    [Fact]
    public void A_missing_embeddings_file_is_named()
    {
        var result = CliRun.Of("train", SpecPath, "--out", folder.File("run"));
        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith($"fusion: {DataPath}: cannot read the file", line);
    }
}
