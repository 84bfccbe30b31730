using System.Text.Json;
using Fusion.Runtime.Nn;

namespace Fusion.Cli.Tests;

/// <summary><c>fusion train</c> on the tiny fixtures: learning beyond chance, the run folder, metrics.jsonl.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly RunFolder run = new();

    public void Dispose() => run.Dispose();

    [Fact]
    public void Classifier_beats_chance_and_writes_the_run_folder()
    {
        var spec = RepoPaths.Fixture("tiny-classifier.yaml");
        var result = CliRun.Of("train", spec, "--out", run.Path);
        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.Equal(string.Empty, result.Err);

        var test = MetricsLine.Parse(MetricsLine.Find(result, "test"));
        Assert.True(test["accuracy"] > 0.5 + 0.08, $"test accuracy {test["accuracy"]} of a 2-class head");
        Assert.Equal(30, result.OutLines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.True(File.Exists(run.File("tiny-classifier.yaml")));

        var lines = File.ReadAllLines(run.File("metrics.jsonl"));
        Assert.Equal(30, lines.Length);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            foreach (var key in new[] { "epoch", "lr", "train_loss", "train_cross_entropy", "val_loss", "val_accuracy", "val_macro_f1" })
            {
                Assert.True(json.RootElement.TryGetProperty(key, out _), $"{key} missing in {line}");
            }
        }
    }

    [Fact]
    public void Checkpoint_keys_are_the_params_keys_and_buffers_with_the_spec_hash()
    {
        var spec = RepoPaths.Fixture("tiny-regressor.yaml");
        Assert.Equal(0, CliRun.Of("train", spec, "--epochs", "2", "--out", run.Path).Exit);
        var paramsRun = CliRun.Of("params", spec);
        var expected = paramsRun.OutLines.Select(l => l.Split('\t')).ToArray();

        var state = ModuleCheckpoint.ReadStateDict(run.File("model.safetensors"), out var metadata);
        Assert.Equal(Fusion.Spec.SpecReader.HashOf(File.ReadAllText(spec)), metadata[ModuleCheckpoint.SpecHashKey]);
        var trainable = state.Where(kv => !IsBuffer(kv.Key)).ToArray();
        Assert.Equal(expected.Select(e => e[0]), trainable.Select(kv => kv.Key));
        Assert.Equal(expected.Select(e => e[1]), trainable.Select(kv => "[" + string.Join(", ", kv.Value.Shape.ToArray()) + "]"));
    }

    [Fact]
    public void Regressor_correlates_and_beats_the_targets_spread()
    {
        var result = CliRun.Of("train", RepoPaths.Fixture("tiny-regressor.yaml"), "--out", run.Path);
        Assert.True(result.Exit == 0, result.Out + result.Err);
        var test = MetricsLine.Parse(MetricsLine.Find(result, "test"));
        // The synthetic target is standardised (std 1): predicting its mean gives an MAE near 0.8.
        Assert.True(test["pearson"] > 0.3, $"test pearson {test["pearson"]}");
        Assert.True(test["mae"] < 0.75, $"test mae {test["mae"]}");
    }

    [Fact]
    public void Same_seed_gives_the_same_metrics_file()
    {
        var spec = RepoPaths.Fixture("tiny-regressor.yaml");
        Assert.Equal(0, CliRun.Of("train", spec, "--epochs", "2", "--seed", "5", "--out", run.File("a")).Exit);
        Assert.Equal(0, CliRun.Of("train", spec, "--epochs", "2", "--seed", "5", "--out", run.File("b")).Exit);
        Assert.Equal(File.ReadAllText(run.File("a/metrics.jsonl")), File.ReadAllText(run.File("b/metrics.jsonl")));
    }

    [Fact]
    public void Resume_continues_a_run_to_the_same_metrics_as_an_uninterrupted_one()
    {
        var spec = RepoPaths.Fixture("tiny-regressor.yaml");
        Assert.Equal(0, CliRun.Of("train", spec, "--epochs", "4", "--out", run.File("whole")).Exit);
        Assert.Equal(0, CliRun.Of("train", spec, "--epochs", "2", "--out", run.File("split")).Exit);
        var resumed = CliRun.Of("train", spec, "--epochs", "4", "--resume", run.File("split"));
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Equal(new[] { "epoch 3/4", "epoch 4/4" }, resumed.OutLines.Where(l => l.StartsWith("epoch ", StringComparison.Ordinal)).Select(l => l[..9]));
        Assert.Equal(File.ReadAllText(run.File("whole/metrics.jsonl")), File.ReadAllText(run.File("split/metrics.jsonl")));
        Assert.Equal(MetricsLine.Find(CliRun.Of("eval", spec, "--checkpoint", run.File("whole/model.safetensors")), "test"), MetricsLine.Find(resumed, "test"));
    }

    [Fact]
    public void Resume_without_a_state_file_is_refused()
    {
        var result = CliRun.Of("train", RepoPaths.Fixture("tiny-regressor.yaml"), "--resume", run.Path);
        Assert.Equal(1, result.Exit);
        Assert.Equal($"fusion: --resume {run.Path}: no last.safetensors there to continue from", result.ErrLines.Single());
    }

    [Fact]
    public void Non_positive_epochs_is_a_usage_error()
    {
        var result = CliRun.Of("train", RepoPaths.Fixture("tiny-regressor.yaml"), "--epochs", "0", "--out", run.Path);
        Assert.Equal(1, result.Exit);
        Assert.Equal("fusion: --epochs must be positive (got 0)", result.ErrLines.Single());
    }

    private static bool IsBuffer(string key) =>
        key.EndsWith(".running_mean", StringComparison.Ordinal) || key.EndsWith(".running_var", StringComparison.Ordinal) || key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
}
