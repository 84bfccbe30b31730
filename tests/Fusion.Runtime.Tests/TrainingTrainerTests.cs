using System.Text.Json;
using Fusion.Runtime.Models;
using Fusion.Runtime.Nn;
using Fusion.Runtime.Training;

namespace Fusion.Runtime.Tests;

/// <summary>The trainer on a hand-written model: learning, early stopping, determinism, checkpoint and metrics log.</summary>
public sealed class TrainingTrainerTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "fusion-trainer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private static (TrainingTestModel Model, TrainingResult Result) Train(TrainingSettings settings, string? output = null, Action<TrainingProgress>? progress = null)
    {
        var data = TrainingTestModel.Data().Split([0.7, 0.3], new RandomSource(1));
        var model = new TrainingTestModel(new RandomSource(settings.Seed), settings);
        var result = new Trainer(model, new TrainerOptions { OutputDirectory = output, Progress = progress, CheckpointMetadata = new Dictionary<string, string> { [ModuleCheckpoint.SpecHashKey] = "abc123" } })
            .Fit(data[0], data[1]);
        return (model, result);
    }

    [Fact]
    public void Loss_decreases_and_accuracy_beats_chance()
    {
        var (_, result) = Train(TrainingTestModel.Settings(epochs: 20));
        Assert.Equal(20, result.Epochs.Count);
        string trace = string.Join("; ", result.Epochs.Select(e => $"{e.TrainLoss:F3} {e.Validation["val_accuracy"]:F3}"));
        Assert.True(result.Epochs[^1].TrainLoss < 0.7 * result.Epochs[0].TrainLoss, trace);
        Assert.True(result.Epochs.Max(e => e.Validation["val_accuracy"]) > 0.44, trace);
        Assert.Contains("train_cross_entropy", result.Epochs[0].All().Keys);
        Assert.Contains("train_l2", result.Epochs[0].All().Keys);
    }

    [Fact]
    public void Per_group_learning_rates_come_from_the_descriptor_groups()
    {
        var (_, result) = Train(TrainingTestModel.Settings(epochs: 1));
        var rates = result.Epochs[0].LearningRates;
        Assert.Equal(1e-2, rates["fusion"], 6);
        Assert.Equal(5e-3, rates["heads"], 6);
    }

    [Fact]
    public void Step_schedule_changes_the_rate_per_epoch()
    {
        var (_, result) = Train(TrainingTestModel.Settings(epochs: 3, schedule: new ScheduleSettings(ScheduleKind.Step, StepSize: 1, Gamma: 0.5)));
        Assert.Equal(1e-2, result.Epochs[0].LearningRates["fusion"], 6);
        Assert.Equal(5e-3, result.Epochs[1].LearningRates["fusion"], 6);
        Assert.Equal(2.5e-3, result.Epochs[2].LearningRates["fusion"], 6);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_improvement()
    {
        // A learning rate of zero never improves on the first epoch: patience 2 stops at epoch 3.
        var settings = TrainingTestModel.Settings(epochs: 20, stopping: new EarlyStoppingSettings(2, "val_loss")) with
        {
            Optimizer = new OptimizerSettings(OptimizerKind.Sgd, 0, 0, 0.9, 0.999, 0, false),
            LrGroups = [],
        };
        var (_, result) = Train(settings);
        Assert.True(result.StoppedEarly);
        Assert.Equal(3, result.Epochs.Count);
        Assert.Equal(1, result.BestEpoch);
    }

    [Fact]
    public void Early_stopping_on_accuracy_keeps_the_best_epoch_weights()
    {
        var settings = TrainingTestModel.Settings(epochs: 6, stopping: new EarlyStoppingSettings(10, "val_accuracy"));
        var (model, result) = Train(settings);
        Assert.Equal("val_accuracy", result.SelectionMetric);
        double best = result.Epochs.Max(e => e.Validation["val_accuracy"]);
        Assert.Equal(best, result.BestValue);
        var validation = TrainingTestModel.Data().Split([0.7, 0.3], new RandomSource(1))[1];
        Assert.Equal(best, Evaluator.Evaluate(model, validation, 32).Metrics["accuracy"]);
    }

    [Fact]
    public void Same_seed_gives_the_same_metrics_bits()
    {
        var first = Train(TrainingTestModel.Settings(epochs: 2)).Result.Epochs.Select(e => MetricsLog.Format(e)).ToArray();
        var second = Train(TrainingTestModel.Settings(epochs: 2)).Result.Epochs.Select(e => MetricsLog.Format(e)).ToArray();
        Assert.Equal(first, second);
        var other = Train(TrainingTestModel.Settings(epochs: 2) with { Seed = 8 }).Result.Epochs.Select(e => MetricsLog.Format(e)).ToArray();
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Best_checkpoint_is_written_atomically_and_loads()
    {
        var (model, result) = Train(TrainingTestModel.Settings(epochs: 3), folder);
        var path = Path.Combine(folder, TrainerOptions.CheckpointFile);
        Assert.Equal(path, result.CheckpointPath);
        Assert.True(File.Exists(path));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));

        var fresh = new TrainingTestModel(new RandomSource(99), TrainingTestModel.Settings());
        var metadata = ModuleCheckpoint.Load(fresh, path, expectedSpecHash: "abc123");
        Assert.Equal(result.BestEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture), metadata["epoch"]);
        var expected = model.StateDict();
        foreach (var (key, tensor) in fresh.StateDict()) Assert.Equal(expected[key].ToArray(), tensor.ToArray());
        Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(fresh, path, expectedSpecHash: "other"));
    }

    [Fact]
    public void Metrics_jsonl_has_one_parsable_object_per_epoch()
    {
        Train(TrainingTestModel.Settings(epochs: 3), folder);
        var lines = File.ReadAllLines(Path.Combine(folder, TrainerOptions.MetricsFile));
        Assert.Equal(3, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.Equal(i + 1, root.GetProperty("epoch").GetInt32());
            foreach (var name in new[] { "lr", "lr_fusion", "lr_heads", "train_loss", "train_cross_entropy", "train_l2", "val_loss", "val_cross_entropy", "val_accuracy", "val_macro_f1" })
                Assert.True(root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number, $"line {i + 1} lacks {name}: {lines[i]}");
        }
    }

    [Fact]
    public void Progress_reports_every_batch()
    {
        var seen = new List<TrainingProgress>();
        Train(TrainingTestModel.Settings(epochs: 2), progress: seen.Add);
        int batches = (int)Math.Ceiling(358 / 32.0);
        Assert.Equal(2 * batches, seen.Count);
        Assert.Equal(new TrainingProgress(2, 2, batches, batches, seen[^1].Loss), seen[^1]);
        Assert.All(seen, p => Assert.True(double.IsFinite(p.Loss)));
    }

    [Fact]
    public void Predictor_gives_every_head_as_n_by_k()
    {
        var data = TrainingTestModel.Data(50);
        var model = new TrainingTestModel(new RandomSource(1), TrainingTestModel.Settings());
        var predictions = Predictor.Predict(model, data, 16);
        var head = Assert.Single(predictions);
        Assert.Equal("label_head", head.Head);
        Assert.Equal([50, 3], head.Shape);
        Assert.Equal(150, head.Values.Length);
        Assert.True(model.IsTraining);
    }

    [Fact]
    public void A_non_finite_loss_stops_with_the_epoch_and_batch()
    {
        var settings = TrainingTestModel.Settings(epochs: 2) with
        {
            Optimizer = new OptimizerSettings(OptimizerKind.Sgd, 1e30, 0, 0.9, 0.999, 0, false),
            LrGroups = [],
            ClipGradNorm = null,
        };
        var error = Assert.Throws<TrainingException>(() => Train(settings));
        Assert.Contains("not finite", error.Message);
        Assert.Contains("epoch", error.Message);
    }
}
