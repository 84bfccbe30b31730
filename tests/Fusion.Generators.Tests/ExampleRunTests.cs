using System.Globalization;
using System.Text.RegularExpressions;

namespace Fusion.Generators.Tests;

/// <summary>
/// The examples, built by the real compiler with the generator as an analyzer, train for two epochs
/// in-process: they print one line per epoch and the test metrics, and the training loss falls.
/// </summary>
public sealed class ExampleRunTests
{
    [Fact]
    public void Attributes_example_trains_and_reports_its_metrics()
    {
        var output = new StringWriter();

        var report = AttributesModel.SentimentTraining.Run(2, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("SentimentModel: ", lines[0]);
        Assert.Matches(@"^epoch 1: train loss \d+\.\d{4}, validation accuracy [01]\.\d{3}, macro-F1 [01]\.\d{3}", lines[1]);
        Assert.StartsWith("epoch 2: ", lines[2]);
        Assert.Matches(@"^test: accuracy [01]\.\d{3}, macro-F1 [01]\.\d{3}", lines[3]);
        Assert.Equal(4, lines.Length);
        Assert.Equal(2, report.TrainLoss.Count);
        Assert.True(report.TrainLoss[1] < report.TrainLoss[0], string.Join(", ", report.TrainLoss));
        Assert.InRange(report.Test["accuracy"], 0, 1);
        Assert.Equal(report.Test["accuracy"], Number(lines[3], @"accuracy (\S+),"), 3);
    }

    [Fact]
    public void Yaml_example_trains_and_reports_its_metrics()
    {
        var output = new StringWriter();
        var model = new YamlModel.Models.ScoreModel(new Fusion.Runtime.RandomSource(YamlModel.Models.ScoreModel.Spec.Training.Seed));

        var report = YamlModel.ColumnTraining.Run(model, 2, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ScoreModel: ", lines[0]);
        Assert.Matches(@"^epoch 1: train loss \d+\.\d{4}, validation score\.mae \d+\.\d{3}, score\.pearson -?\d\.\d{3}", lines[1]);
        Assert.Matches(@"^test: score\.mae \d+\.\d{3}, score\.pearson -?\d\.\d{3}", lines[3]);
        Assert.Equal(4, lines.Length);
        Assert.True(report.TrainLoss[1] < report.TrainLoss[0], string.Join(", ", report.TrainLoss));
        Assert.Equal(report.Test["score.mae"], Number(lines[3], @"score\.mae (\S+),"), 3);
    }

    [Fact]
    public void Examples_reject_unknown_arguments()
    {
        Assert.Equal(2, AttributesModel.Program.Main(["--epoch", "1"]));
        Assert.Equal(2, YamlModel.Program.Main(["--epochs", "zero"]));
    }

    private static double Number(string line, string pattern) =>
        double.Parse(Regex.Match(line, pattern).Groups[1].Value, CultureInfo.InvariantCulture);
}
