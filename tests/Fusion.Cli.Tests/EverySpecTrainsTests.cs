using System.Text.Json;

namespace Fusion.Cli.Tests;

/// <summary>
/// <c>fusion train --epochs 1 --samples 128</c> on every spec in specs/: a spec the code generator
/// supports trains one epoch with a finite loss and writes its run folder; any other must be
/// refused by <c>emit</c> with FUS200 (not supported by the code generator yet), never crash.
/// </summary>
public sealed class EverySpecTrainsTests
{
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
    public void Spec_trains_one_epoch_or_reports_FUS200(string file)
    {
        var spec = RepoPaths.Spec(file);
        var emit = CliRun.Of("emit", spec);
        if (emit.Exit != 0)
        {
            Assert.Equal(1, emit.Exit);
            Assert.Contains(emit.ErrLines, l => l.Contains("error FUS200", StringComparison.Ordinal));
            Assert.DoesNotContain(emit.ErrLines, l => l.Contains("error", StringComparison.Ordinal) && !l.Contains("FUS200", StringComparison.Ordinal));
            return;
        }

        using var run = new RunFolder();
        var result = CliRun.Of("train", spec, "--epochs", "1", "--samples", "128", "--out", run.Path);
        Assert.True(result.Exit == 0, result.Out + result.Err);
        using var json = JsonDocument.Parse(File.ReadAllLines(run.File("metrics.jsonl")).Single());
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("train_loss").ValueKind);
        Assert.True(double.IsFinite(json.RootElement.GetProperty("train_loss").GetDouble()));
        Assert.True(File.Exists(run.File("model.safetensors")));
    }
}
