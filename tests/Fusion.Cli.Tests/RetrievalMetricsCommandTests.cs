using System.Text.Json;

namespace Fusion.Cli.Tests;

/// <summary>
/// <c>fusion train</c> and <c>fusion eval</c> of a model with a retrieval pair (two embedding heads
/// tied by a contrastive loss) print and log recall@1/5/10 both ways, as fractions that grow with k.
/// </summary>
public sealed class RetrievalMetricsCommandTests : IDisposable
{
    private static readonly string[] Directions = ["a_view_to_b_view", "b_view_to_a_view"];

    private readonly RunFolder run = new();

    public void Dispose() => run.Dispose();

    [Fact]
    public void Train_prints_and_logs_recall_at_k_of_the_pair_both_ways()
    {
        var result = CliRun.Of("train", RepoPaths.Fixture("tiny-retrieval.yaml"), "--epochs", "2", "--samples", "120", "--out", run.Path);
        Assert.True(result.Exit == 0, result.Out + result.Err);

        var epochs = result.OutLines.Where(l => l.StartsWith("epoch ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, epochs.Length);
        foreach (var line in epochs) CheckRecall(MetricsLine.Parse(line), "val_");
        CheckRecall(MetricsLine.Parse(MetricsLine.Find(result, "test")), string.Empty);

        var lines = File.ReadAllLines(run.File("metrics.jsonl"));
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            CheckRecall(json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()), "val_");
        }

        var eval = CliRun.Of("eval", RepoPaths.Fixture("tiny-retrieval.yaml"), "--checkpoint", run.File("model.safetensors"), "--samples", "120");
        Assert.True(eval.Exit == 0, eval.Out + eval.Err);
        CheckRecall(MetricsLine.Parse(MetricsLine.Find(eval, "test")), string.Empty);
    }

    private static void CheckRecall(IReadOnlyDictionary<string, double> metrics, string prefix)
    {
        foreach (var direction in Directions)
        {
            var recall = new[] { 1, 5, 10 }.Select(k =>
            {
                string name = $"{prefix}{direction}_recall@{k}";
                Assert.True(metrics.TryGetValue(name, out var value), $"{name} missing among {string.Join(", ", metrics.Keys)}");
                Assert.InRange(value, 0.0, 1.0);
                return value;
            }).ToArray();
            Assert.True(recall[0] <= recall[1] && recall[1] <= recall[2], $"{direction}: recall@1, @5, @10 = {string.Join(", ", recall)}");
        }
    }
}
