using Fusion.Runtime.Data;

namespace Fusion.Cli.Tests;

/// <summary><c>fusion predict</c> on a model with two heads: an .npz with one array per head; an .npy is refused.</summary>
public sealed class PredictHeadsTests
{
    [Fact]
    public void Several_heads_go_to_an_npz_with_one_array_per_head()
    {
        using var run = new RunFolder();
        var spec = RepoPaths.Fixture("tiny-two-heads.yaml");
        var train = CliRun.Of("train", spec, "--out", run.Path);
        Assert.True(train.Exit == 0, train.Err);
        var test = MetricsLine.Parse(MetricsLine.Find(train, "test"));
        foreach (var key in new[] { "loss", "cross_entropy", "mse", "label_accuracy", "label_macro_f1", "score_mae", "score_pearson" })
        {
            Assert.Contains(key, test.Keys);
        }

        var file = run.File("out.npz");
        var result = CliRun.Of("predict", spec, "--checkpoint", run.File("model.safetensors"), "--out", file);
        Assert.True(result.Exit == 0, result.Err);
        var arrays = NpzReader.Read(file);
        Assert.Equal([13, 3], arrays["label"].Shape);
        Assert.Equal([13, 2], arrays["score"].Shape);
        Assert.Equal(["label\t[13, 3]", "score\t[13, 2]", $"wrote {file}"], result.OutLines);
    }

    [Fact]
    public void Several_heads_to_an_npy_is_refused_naming_the_heads()
    {
        using var run = new RunFolder();
        var result = CliRun.Of("predict", RepoPaths.Fixture("tiny-two-heads.yaml"), "--checkpoint", run.File("model.safetensors"), "--out", run.File("out.npy"));
        Assert.Equal(1, result.Exit);
        Assert.Equal($"fusion: --out {run.File("out.npy")}: model 'TinyTwoHeads' has 2 heads (label, score); write them to an .npz file (one array per head)", result.ErrLines.Single());
    }

    [Fact]
    public void A_csv_without_the_specs_column_mapping_is_refused()
    {
        using var run = new RunFolder();
        var csv = run.File("data.csv");
        File.WriteAllText(csv, "a0,b0\n1,2\n");
        var result = CliRun.Of("train", RepoPaths.Fixture("tiny-two-heads.yaml"), "--data", csv, "--out", run.File("run"));
        Assert.Equal(1, result.Exit);
        Assert.Equal($"fusion: {csv}: a .csv file needs the spec's column mapping (data: {{ type: csv, columns: ... }}), and this spec has none.", result.ErrLines.Single());
    }
}
