using System.Text.Json;

namespace Fusion.Cli.Tests;

/// <summary>
/// <c>fusion train --epochs 2 --samples 128</c> on every spec in specs/: it trains on small
/// synthetic data with finite losses, its first loss term (the task or alignment term) falls from
/// the first epoch to the last, it writes its run folder, and <c>fusion predict</c> on its checkpoint
/// gives every head's outputs. Two epochs, not more: every spec
/// trains here, and each extra epoch adds its cost to CI.
/// </summary>
public sealed class EverySpecTrainsTests
{
    private const int Epochs = 2;

    public static TheoryData<string> Specs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(RepoPaths.Root, "specs"), "*.yaml").OrderBy(p => p, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Spec_trains_with_a_falling_first_loss_term(string file)
    {
        var spec = RepoPaths.Spec(file);
        using var run = new RunFolder();
        var result = CliRun.Of("train", spec, "--epochs", Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--samples", "128", "--out", run.Path);
        Assert.True(result.Exit == 0, result.Out + result.Err);
        var epochs = File.ReadAllLines(run.File("metrics.jsonl")).Select(l => JsonDocument.Parse(l)).ToList();
        try
        {
            Assert.Equal(Epochs, epochs.Count);
            foreach (var epoch in epochs)
            {
                Assert.True(double.IsFinite(epoch.RootElement.GetProperty("train_loss").GetDouble()), epoch.RootElement.GetRawText());
            }

            // the terms follow train_loss in the spec's order: the first is the task (or alignment) term
            string term = epochs[0].RootElement.EnumerateObject().Select(p => p.Name)
                .SkipWhile(n => n != "train_loss").Skip(1).First(n => n.StartsWith("train_", StringComparison.Ordinal));
            double first = epochs[0].RootElement.GetProperty(term).GetDouble();
            double last = epochs[^1].RootElement.GetProperty(term).GetDouble();
            Assert.True(last < first, $"{file}: {term} went from {first} (epoch 1) to {last} (epoch {Epochs})");
        }
        finally
        {
            epochs.ForEach(e => e.Dispose());
        }

        Assert.True(File.Exists(run.File("model.safetensors")));

        // and predicts from its checkpoint: one [N, k] array per head
        var predict = CliRun.Of("predict", spec, "--checkpoint", run.File("model.safetensors"), "--samples", "128", "--out", run.File("predictions.npz"));
        Assert.True(predict.Exit == 0, predict.Out + predict.Err);
        var heads = Fusion.Spec.SpecReader.ReadFile(spec).Spec!.Heads;
        Assert.Equal(heads.Select(h => h.Name), predict.OutLines.Where(l => l.Contains('\t')).Select(l => l.Split('\t')[0]));
        Assert.True(File.Exists(run.File("predictions.npz")));
    }
}
