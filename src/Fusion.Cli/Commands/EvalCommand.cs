using System.CommandLine;
using Fusion.Cli.Compilation;
using Fusion.Cli.Running;
using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Training;

namespace Fusion.Cli.Commands;

/// <summary>
/// <c>fusion eval SPEC --checkpoint FILE [--data PATH] [--samples N]</c>: loads a checkpoint of the
/// spec's model and prints its metrics (<c>test  loss ...  accuracy ...</c>) on the test part of
/// the spec's data, the same part <c>train</c> reports, or on all of <c>--data</c>
/// (<c>data  loss ...</c>). A checkpoint of another spec, with other keys or shapes, or not a
/// safetensors file is refused with a message naming every mismatch (exit 1).
/// </summary>
public static class EvalCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file (YAML)." };
        var checkpoint = RunOptions.Checkpoint();
        var data = RunOptions.Data();
        var samples = RunOptions.Samples();
        var command = new Command("eval", "Print a trained model's metrics on the test split, or on --data.");
        command.Arguments.Add(spec);
        command.Options.Add(checkpoint);
        command.Options.Add(data);
        command.Options.Add(samples);
        command.SetAction(parsed => Execute(parsed.GetValue(spec) ?? string.Empty, parsed.GetValue(checkpoint) ?? string.Empty, parsed.GetValue(data), parsed.GetValue(samples), output, error));
        return command;
    }

    public static int Execute(string path, string checkpoint, string? data, int? samples, TextWriter output, TextWriter error)
    {
        if (RunOptions.CheckPositive(samples, "--samples", error) is { } usage) return usage;
        if (LoadedModel.TryLoad(path, error, out var loaded) is { } failed) return failed;
        using (loaded)
        {
            var spec = loaded!.Generated.Spec;
            var model = loaded.Create(new RandomSource(spec.Training.Seed));
            try
            {
                CheckpointLoader.Load(model, spec, checkpoint);
                var all = ModelData.Load(model.Descriptor, path, data, samples);
                var evaluated = data is null ? ModelData.Split(model.Descriptor, all)[2] : all;
                if (evaluated.Count == 0)
                {
                    error.WriteLine($"fusion: the test split of {path} is empty; pass --data");
                    return ExitCodes.SpecErrors;
                }

                output.WriteLine(MetricsText.Result(data is null ? "test" : "data", Evaluator.Evaluate(model, evaluated, model.Descriptor.Training.BatchSize)));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is CheckpointException or DataException or TrainingException)
            {
                error.WriteLine($"fusion: {e.Message}");
                return ExitCodes.SpecErrors;
            }
        }
    }
}
