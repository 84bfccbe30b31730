using System.Text.Json;
using Fusion.Runtime;
using Fusion.Runtime.Data;

namespace Fusion.Cli.Tests;

/// <summary>
/// CBMF's reference training settings, ReduceLROnPlateau(patience 5, factor 0.8) on val_loss and
/// early stopping (patience on val_loss), seen from <c>metrics.jsonl</c> of a run whose validation
/// loss stops improving: a classifier memorising random labels. The logged learning rates and the
/// last epoch are checked against the two rules replayed on the logged val_loss: the rate is
/// multiplied by 0.8 after the epoch that is the 6th in a row without a relative improvement of
/// 1e-4 (PyTorch: more than <c>patience</c> bad epochs), and training stops after the epoch
/// that is the <c>patience</c>-th in a row not below the best.
/// </summary>
public sealed class PlateauEarlyStoppingTests : IDisposable
{
    private const double Rate = 0.01;

    private readonly RunFolder folder = new();

    public PlateauEarlyStoppingTests()
    {
        // features and labels drawn independently: after a few epochs the model only memorises
        var random = new RandomSource(5);
        const int n = 200;
        var features = new float[n * 8];
        random.FillNormal(features);
        var labels = new long[n];
        for (int i = 0; i < n; i++) labels[i] = random.NextInt(3);
        NpzWriter.Write(folder.File("noise.npz"), [
            KeyValuePair.Create("x", new NpyArray([n, 8], features)),
            KeyValuePair.Create("label", new NpyArray([n], labels)),
        ]);
    }

    public void Dispose() => folder.Dispose();

    private string Spec(int stoppingPatience)
    {
        string path = folder.File($"plateau-{stoppingPatience}.yaml");
        File.WriteAllText(path, $$"""
            model: NoisyLabels

            modalities:
              x: { shape: [8] }

            encoders:
              h: { op: mlp, input: x, hidden: [64], out: 64, final_activation: true }

            heads:
              label: { type: classifier, input: h, classes: 3 }

            losses:
              - { type: cross_entropy, head: label }

            training:
              optimizer: { type: adam, lr: {{Rate}} }
              schedule: { type: plateau, patience: 5, factor: 0.8 }
              early_stopping: { patience: {{stoppingPatience}}, metric: val_loss }
              epochs: 60
              batch_size: 16
              seed: 0

            data:
              type: npz
              path: noise.npz
              split: [0.6, 0.4, 0.0]
            """);
        return path;
    }

    private (double[] Rates, double[] ValLoss, CliRun Result) Train(int stoppingPatience)
    {
        var run = folder.File($"run-{stoppingPatience}");
        var result = CliRun.Of("train", Spec(stoppingPatience), "--out", run);
        Assert.True(result.Exit == 0, result.Out + result.Err);
        var lines = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        for (int e = 0; e < lines.Length; e++) Assert.Equal(e + 1, lines[e].GetProperty("epoch").GetInt32());
        return (lines.Select(l => l.GetProperty("lr").GetDouble()).ToArray(), lines.Select(l => l.GetProperty("val_loss").GetDouble()).ToArray(), result);
    }

    /// <summary>The learning rate of every epoch under ReduceLROnPlateau(patience 5, factor 0.8, threshold 1e-4 relative), replayed on <paramref name="valLoss"/>.</summary>
    private static double[] ExpectedRates(double[] valLoss)
    {
        var rates = new double[valLoss.Length];
        float rate = (float)Rate;
        double best = double.PositiveInfinity;
        int bad = 0;
        for (int e = 0; e < valLoss.Length; e++)
        {
            rates[e] = double.Parse(rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
            if (valLoss[e] < best * (1 - 1e-4)) (best, bad) = (valLoss[e], 0);
            else bad++;
            if (bad > 5) (rate, bad) = ((float)(rate * 0.8), 0);
        }

        return rates;
    }

    /// <summary>The epoch (1-based) after which early stopping with <paramref name="patience"/> ends the run, or the last epoch.</summary>
    private static int ExpectedLastEpoch(double[] valLoss, int patience, int epochs)
    {
        double best = double.NaN;
        int bad = 0;
        for (int e = 1; e <= valLoss.Length; e++)
        {
            if (double.IsNaN(best) || valLoss[e - 1] < best) (best, bad) = (valLoss[e - 1], 0);
            else bad++;
            if (bad >= patience && e < epochs) return e;
        }

        return valLoss.Length;
    }

    [Fact]
    public void The_reference_settings_stop_five_epochs_after_the_best_before_the_plateau_lowers_the_rate()
    {
        var (rates, valLoss, result) = Train(stoppingPatience: 5);
        int best = Array.IndexOf(valLoss, valLoss.Min()) + 1;
        Assert.True(valLoss.Length < 60, "the run should stop early");
        Assert.Equal(best + 5, valLoss.Length);
        Assert.Equal(ExpectedLastEpoch(valLoss, 5, 60), valLoss.Length);
        Assert.Contains($"best epoch {best} by val_loss", result.Out);
        Assert.Contains("(stopped early)", result.Out);
        // five bad epochs end the run; the plateau would lower the rate only after a sixth
        Assert.Equal(ExpectedRates(valLoss), rates);
        Assert.All(rates, r => Assert.Equal(Rate, r));
    }

    [Fact]
    public void With_a_longer_stopping_patience_the_rate_is_multiplied_by_0_8_after_six_epochs_without_improvement()
    {
        var (rates, valLoss, result) = Train(stoppingPatience: 12);
        Assert.Equal(ExpectedRates(valLoss), rates);
        Assert.Equal(ExpectedLastEpoch(valLoss, 12, 60), valLoss.Length);
        Assert.Contains("(stopped early)", result.Out);

        int first = Array.FindIndex(rates, r => r != Rate);
        Assert.True(first > 0, $"the rate never dropped: {string.Join(", ", rates)}");
        Assert.Equal(Rate * 0.8, rates[first], 8);   // up to the float rate's rounding
        // the six epochs before the drop are no better than the best before them
        double bestBefore = valLoss[..(first - 6)].Min();
        Assert.All(valLoss[(first - 6)..first], v => Assert.True(v >= bestBefore * (1 - 1e-4), $"val_loss {v} improved on {bestBefore}"));
    }
}
