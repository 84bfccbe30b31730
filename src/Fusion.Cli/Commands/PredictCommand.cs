using System.CommandLine;
using Fusion.Cli.Compilation;
using Fusion.Cli.Running;
using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Training;

namespace Fusion.Cli.Commands;

/// <summary>
/// <c>fusion predict SPEC --checkpoint FILE [--data PATH] [--samples N] --out FILE</c>: the heads'
/// outputs (logits of classifier and multilabel heads, values of regressors, vectors of
/// embeddings) on the test part of the spec's data or on all of <c>--data</c> (targets not
/// needed), in sample order. One head: FILE is an <c>.npy</c> of shape <c>[N, k]</c>. Several
/// heads: FILE must be an <c>.npz</c> holding one <c>[N, k]</c> array per head, named after it.
/// Written to a temporary file, then renamed.
/// </summary>
public static class PredictCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file (YAML)." };
        var checkpoint = RunOptions.Checkpoint();
        var data = RunOptions.Data();
        var samples = RunOptions.Samples();
        var file = new Option<string>("--out") { Description = "The output: an .npy for a model with one head, an .npz (one array per head) otherwise.", Required = true };
        var command = new Command("predict", "Write a trained model's head outputs on the test split, or on --data, to .npy/.npz.");
        command.Arguments.Add(spec);
        command.Options.Add(checkpoint);
        command.Options.Add(data);
        command.Options.Add(samples);
        command.Options.Add(file);
        command.SetAction(parsed => Execute(parsed.GetValue(spec) ?? string.Empty, parsed.GetValue(checkpoint) ?? string.Empty, parsed.GetValue(data), parsed.GetValue(samples), parsed.GetValue(file) ?? string.Empty, output, error));
        return command;
    }

    public static int Execute(string path, string checkpoint, string? data, int? samples, string file, TextWriter output, TextWriter error)
    {
        if (RunOptions.CheckPositive(samples, "--samples", error) is { } usage) return usage;
        bool npz = file.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);
        if (!npz && !file.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            error.WriteLine($"fusion: --out {file}: the output must be an .npy or an .npz file");
            return ExitCodes.SpecErrors;
        }

        if (LoadedModel.TryLoad(path, error, out var loaded) is { } failed) return failed;
        using (loaded)
        {
            var spec = loaded!.Generated.Spec;
            var model = loaded.Create(new RandomSource(spec.Training.Seed));
            var heads = model.Descriptor.Heads;
            if (heads.Count > 1 && !npz)
            {
                error.WriteLine($"fusion: --out {file}: model '{spec.Model}' has {heads.Count} heads ({string.Join(", ", heads.Select(h => h.Name))}); write them to an .npz file (one array per head)");
                return ExitCodes.SpecErrors;
            }

            try
            {
                CheckpointLoader.Load(model, spec, checkpoint);
                var all = ModelData.Load(model.Descriptor, path, data, samples, withTargets: data is null);
                var predicted = data is null ? ModelData.Split(model.Descriptor, all)[2] : all;
                var predictions = Predictor.Predict(model, predicted, model.Descriptor.Training.BatchSize);
                string? folder = Path.GetDirectoryName(Path.GetFullPath(file));
                if (folder is not null) Directory.CreateDirectory(folder);
                if (npz)
                    NpzWriter.Write(file, predictions.Select(p => KeyValuePair.Create(p.Head, new NpyArray(p.Shape, p.Values))));
                else
                    NpyWriter.Write(file, predictions[0].Values, predictions[0].Shape);

                foreach (var p in predictions)
                {
                    output.WriteLine($"{p.Head}\t[{string.Join(", ", p.Shape)}]");
                }

                output.WriteLine($"wrote {file}");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is CheckpointException or DataException or TrainingException)
            {
                error.WriteLine($"fusion: {e.Message}");
                return ExitCodes.SpecErrors;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"fusion: cannot write {file}: {e.Message}");
                return ExitCodes.SpecErrors;
            }
        }
    }
}
