using System.Globalization;
using System.Text.RegularExpressions;

namespace Fusion.Generators.Tests;

/// <summary>
/// The examples, built by the real compiler with the generator as an analyzer, train for two epochs
/// in-process with the runtime's Trainer: they print one line per epoch with the validation metrics
/// and the test metrics, and the training loss falls.
/// </summary>
public sealed class ExampleRunTests
{
    [Fact]
    public void Attributes_example_trains_and_reports_its_metrics()
    {
        var output = new StringWriter();

        var report = AttributesModel.SentimentTraining.Run(2, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("SentimentModel: 10099 parameters; train 3200, validation 400, test 400 samples", lines[0]);
        Assert.Matches(@"^epoch 1: train loss \d+\.\d{4}, val_loss \d+\.\d{3}, .*val_accuracy [01]\.\d{3}, val_macro_f1 [01]\.\d{3}", lines[1]);
        Assert.StartsWith("epoch 2: ", lines[2]);
        Assert.Matches(@"^test: loss \d+\.\d{3}, .*accuracy [01]\.\d{3}, macro_f1 [01]\.\d{3} \(best epoch [12]\)", lines[3]);
        Assert.Matches(@"^predicted [012]( [012]){4} for true [012]( [012]){4}", lines[4]);
        Assert.Equal(2, report.TrainLoss.Count);
        Assert.True(report.TrainLoss[1] < report.TrainLoss[0], string.Join(", ", report.TrainLoss));
        AssertPrinted(report.Test["accuracy"], Number(lines[3], @" accuracy (\d\.\d+),"));
    }

    [Fact]
    public void Yaml_example_trains_and_reports_its_metrics()
    {
        var output = new StringWriter();
        var model = new YamlModel.Models.ScoreModel(new Fusion.Runtime.RandomSource(YamlModel.Models.ScoreModel.Spec.Training.Seed));

        var report = YamlModel.ModelTraining.Run(model, 2, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("ScoreModel: ", lines[0]);
        Assert.Matches(@"^epoch 1: train loss \d+\.\d{4}, val_loss \d+\.\d{3}, .*val_mae \d+\.\d{3}, val_pearson -?\d\.\d{3}", lines[1]);
        Assert.Matches(@"^test: loss \d+\.\d{3}, .*mae \d+\.\d{3}, pearson -?\d\.\d{3} \(best epoch [12]\)", lines[3]);
        Assert.True(report.TrainLoss[1] < report.TrainLoss[0], string.Join(", ", report.TrainLoss));
        AssertPrinted(report.Test["mae"], Number(lines[3], @" mae (\d+\.\d+),"));
    }

    [Fact]
    public void Examples_reject_unknown_arguments()
    {
        Assert.Equal(2, AttributesModel.Program.Main(["--epoch", "1"]));
        Assert.Equal(2, YamlModel.Program.Main(["--epochs", "zero"]));
    }

    /// <summary>
    /// The printed value is the reported one with 3 decimals: at most half a unit of the last
    /// digit away (Assert.Equal's rounding of both sides would fail 0.4775 printed as 0.477).
    /// </summary>
    private static void AssertPrinted(double reported, double printed) =>
        Assert.True(Math.Abs(reported - printed) <= 0.0005 + 1e-12, $"printed {printed} for {reported}");

    private static double Number(string line, string pattern)
    {
        var match = Regex.Match(line, pattern);
        Assert.True(match.Success, $"'{pattern}' in '{line}'");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
