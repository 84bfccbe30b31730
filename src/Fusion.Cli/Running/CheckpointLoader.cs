using Fusion.Runtime.Checkpoints;
using Fusion.Runtime.Models;
using Fusion.Runtime.Nn;
using Fusion.Spec.Ir;

namespace Fusion.Cli.Running;

/// <summary>
/// Loads a checkpoint into a compiled model for <c>eval</c> and <c>predict</c>, refusing one that
/// belongs to another spec (its <c>spec_hash</c> metadata) or whose keys and shapes differ from the
/// model's, with one message that names every mismatch. Throws <see cref="CheckpointException"/>.
/// </summary>
internal static class CheckpointLoader
{
    public static void Load(FusionModel model, FusionSpec spec, string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: no such checkpoint file");
        OrderedDictionary<string, Runtime.Tensor> dict;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            dict = ModuleCheckpoint.ReadStateDict(path, out metadata);
        }
        catch (SafeTensorsFormatException e)
        {
            throw new CheckpointException(e.Message);
        }
        catch (IOException e)
        {
            throw new CheckpointException($"{path}: cannot read the checkpoint: {e.Message}");
        }

        try
        {
            var problems = new List<string>();
            metadata.TryGetValue(ModuleCheckpoint.SpecHashKey, out var hash);
            if (hash != spec.SourceHash)
                problems.Add($"it was written for spec hash {hash ?? "(none)"} but {spec.SourcePath} has hash {spec.SourceHash}");

            var expected = model.StateDict();
            var missing = expected.Keys.Where(k => !dict.ContainsKey(k)).ToArray();
            var unexpected = dict.Keys.Where(k => !expected.ContainsKey(k)).ToArray();
            if (missing.Length > 0) problems.Add("missing keys: " + string.Join(", ", missing));
            if (unexpected.Length > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected));
            foreach (var (key, tensor) in dict)
            {
                if (expected.TryGetValue(key, out var own) && !own.Shape.SequenceEqual(tensor.Shape))
                    problems.Add($"'{key}' is {Shape(tensor.Shape)} in the checkpoint but {Shape(own.Shape)} in model '{spec.Model}'");
            }

            if (problems.Count > 0)
                throw new CheckpointException($"{path}: the checkpoint does not match spec {spec.SourcePath}: {string.Join("; ", problems)}");
            model.LoadStateDict(dict);
        }
        finally
        {
            foreach (var tensor in dict.Values) tensor.Dispose();
        }
    }

    private static string Shape(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}

/// <summary>A checkpoint that cannot be used with the spec; the message names the file and every problem.</summary>
internal sealed class CheckpointException(string message) : Exception(message);
