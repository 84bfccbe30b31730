using System.Globalization;
using Fusion.Runtime.Checkpoints;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Training;

/// <summary>
/// Everything needed to continue a run after an epoch, in one safetensors file
/// (<c>last.safetensors</c> beside <c>model.safetensors</c>, rewritten atomically each epoch):
/// the model's state dict under <c>model.</c>, the best epoch's under <c>best.</c>, the optimiser's
/// under <c>optimizer.</c> (an adversarial model's second optimiser under <c>adversary_optimizer.</c>); in the metadata the finished epoch, the shuffling source's state, the
/// early-stopping state, the schedule's position and the run's own metadata (the spec hash).
/// </summary>
internal sealed record TrainingState(
    int Epoch,
    ulong[] RandomState,
    double Best,
    int BestEpoch,
    int BadEpochs,
    IReadOnlyDictionary<string, string> Schedule,
    IReadOnlyDictionary<string, string> Metadata)
{
    public const string FileName = "last.safetensors";

    private const string ModelPrefix = "model.";
    private const string BestPrefix = "best.";
    private const string OptimizerPrefix = "optimizer.";
    private const string AdversaryOptimizerPrefix = "adversary_optimizer.";

    public void Save(string path, Module model, IEnumerable<KeyValuePair<string, (float[] Values, int[] Shape)>> best, Optim.Optimizer optimizer, Optim.Optimizer? adversaryOptimizer = null)
    {
        using var scope = Tensor.NewScope();
        var dict = new List<KeyValuePair<string, Tensor>>();
        foreach (var (key, tensor) in model.StateDict()) dict.Add(new(ModelPrefix + key, tensor));
        foreach (var (key, (values, shape)) in best)
            dict.Add(new(BestPrefix + key, shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape)));
        var optimizerState = optimizer.StateDict();
        foreach (var (key, tensor) in optimizerState) dict.Add(new(OptimizerPrefix + key, tensor));
        var adversaryState = adversaryOptimizer?.StateDict();
        foreach (var (key, tensor) in adversaryState ?? []) dict.Add(new(AdversaryOptimizerPrefix + key, tensor));
        var metadata = new Dictionary<string, string>(Metadata)
        {
            ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            ["random_state"] = string.Join(",", RandomState.Select(s => s.ToString(CultureInfo.InvariantCulture))),
            ["best"] = Best.ToString("R", CultureInfo.InvariantCulture),
            ["best_epoch"] = BestEpoch.ToString(CultureInfo.InvariantCulture),
            ["bad_epochs"] = BadEpochs.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in Schedule) metadata[key] = value;
        ModuleCheckpoint.Save(path, dict, metadata);
        foreach (var tensor in optimizerState.Values) tensor.Dispose();
        foreach (var (_, tensor) in adversaryState ?? []) tensor.Dispose();
    }

    /// <summary>
    /// Reads a state file into <paramref name="model"/> and <paramref name="optimizer"/> (and an adversarial
    /// model's <paramref name="adversaryOptimizer"/>; strict: same keys and shapes) and returns its
    /// counters and the best epoch's weights.
    /// <paramref name="expectedMetadata"/> (the spec hash) must match what the file recorded.
    /// </summary>
    public static (TrainingState State, OrderedDictionary<string, (float[] Values, int[] Shape)> Best) Load(
        string path, Module model, Optim.Optimizer optimizer, IReadOnlyDictionary<string, string>? expectedMetadata, Optim.Optimizer? adversaryOptimizer = null)
    {
        OrderedDictionary<string, Tensor> dict;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            dict = ModuleCheckpoint.ReadStateDict(path, out metadata);
        }
        catch (Exception e) when (e is SafeTensorsFormatException or IOException)
        {
            throw new TrainingException($"cannot resume from {path}: {e.Message}");
        }

        try
        {
            foreach (var (key, value) in expectedMetadata ?? new Dictionary<string, string>())
            {
                metadata.TryGetValue(key, out var found);
                if (found != value) throw new TrainingException($"cannot resume from {path}: its {key} is {found ?? "(none)"}, this run's is {value}");
            }

            Dictionary<string, Tensor> Part(string prefix) =>
                dict.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
            try
            {
                model.LoadStateDict(Part(ModelPrefix));
                optimizer.LoadStateDict(Part(OptimizerPrefix));
                adversaryOptimizer?.LoadStateDict(Part(AdversaryOptimizerPrefix));
            }
            catch (StateDictMismatchException e)
            {
                throw new TrainingException($"cannot resume from {path}: {e.Message.Replace("\n", " ")}");
            }

            var best = new OrderedDictionary<string, (float[], int[])>();
            foreach (var (key, tensor) in Part(BestPrefix)) best.Add(key, (tensor.ToArray(), tensor.Shape.ToArray()));
            string Get(string key) => metadata.TryGetValue(key, out var v) ? v : throw new TrainingException($"cannot resume from {path}: no '{key}' in its metadata");
            int Int(string key) => int.Parse(Get(key), CultureInfo.InvariantCulture);
            var state = new TrainingState(
                Int("epoch"),
                Get("random_state").Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
                double.Parse(Get("best"), CultureInfo.InvariantCulture),
                Int("best_epoch"),
                Int("bad_epochs"),
                metadata,
                metadata);
            return (state, best);
        }
        finally
        {
            foreach (var tensor in dict.Values) tensor.Dispose();
        }
    }
}
