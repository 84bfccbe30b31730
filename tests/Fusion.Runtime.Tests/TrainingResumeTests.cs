using Fusion.Runtime.Models;
using Fusion.Runtime.Training;

namespace Fusion.Runtime.Tests;

/// <summary>Resuming from <c>last.safetensors</c> continues a run exactly (the test model has no dropout).</summary>
public sealed class TrainingResumeTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "fusion-resume-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private static TrainingSettings Settings(ScheduleSettings schedule) =>
        TrainingTestModel.Settings(epochs: 4, stopping: new EarlyStoppingSettings(10, "val_loss"), schedule: schedule);

    private (TrainingTestModel Model, string Metrics) Run(string name, ScheduleSettings schedule, int epochs, string? resume = null)
    {
        var data = TrainingTestModel.Data().Split([0.7, 0.3], new RandomSource(1));
        var settings = Settings(schedule);
        var model = new TrainingTestModel(new RandomSource(settings.Seed), settings);
        var output = Path.Combine(folder, name);
        new Trainer(model, new TrainerOptions { Epochs = epochs, OutputDirectory = output, ResumeFrom = resume }).Fit(data[0], data[1]);
        return (model, File.ReadAllText(Path.Combine(output, TrainerOptions.MetricsFile)));
    }

    [Theory]
    [InlineData(ScheduleKind.Cosine)]
    [InlineData(ScheduleKind.Plateau)]
    [InlineData(ScheduleKind.Warmup)]
    public void Two_epochs_then_resumed_to_four_equal_four_epochs(ScheduleKind kind)
    {
        var schedule = new ScheduleSettings(kind, TMax: 4, Steps: 15, Patience: 0, Factor: 0.5);
        var (whole, wholeMetrics) = Run("whole", schedule, 4);

        Run("split", schedule, 2);
        var (resumed, resumedMetrics) = Run("split", schedule, 4, Path.Combine(folder, "split", TrainerOptions.StateFile));

        Assert.Equal(wholeMetrics, resumedMetrics);
        var expected = whole.StateDict();
        foreach (var (key, tensor) in resumed.StateDict()) Assert.Equal(expected[key].ToArray(), tensor.ToArray());
    }

    [Fact]
    public void A_state_of_another_run_is_refused_by_its_metadata()
    {
        var data = TrainingTestModel.Data().Split([0.7, 0.3], new RandomSource(1));
        var settings = Settings(new ScheduleSettings(ScheduleKind.None));
        var first = Path.Combine(folder, "first");
        new Trainer(new TrainingTestModel(new RandomSource(0), settings), new TrainerOptions { Epochs = 1, OutputDirectory = first, CheckpointMetadata = new Dictionary<string, string> { ["spec_hash"] = "aaa" } })
            .Fit(data[0], data[1]);
        var error = Assert.Throws<TrainingException>(() =>
            new Trainer(new TrainingTestModel(new RandomSource(0), settings), new TrainerOptions { Epochs = 2, ResumeFrom = Path.Combine(first, TrainerOptions.StateFile), CheckpointMetadata = new Dictionary<string, string> { ["spec_hash"] = "bbb" } })
                .Fit(data[0], data[1]));
        Assert.Contains("spec_hash is aaa, this run's is bbb", error.Message);
    }
}
