using System.CommandLine;
using System.Globalization;
using Fusion.Cli.Compilation;
using Fusion.Cli.Running;
using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Nn;
using Fusion.Runtime.Training;

namespace Fusion.Cli.Commands;

/// <summary>
/// <c>fusion train SPEC [--data PATH] [--epochs N] [--seed N] [--samples N] [--out RUN_DIR | --resume RUN_DIR]</c>:
/// compiles the spec in memory, initialises the model from the seed, loads and checks the data,
/// splits it into train, validation and test parts, trains (a progress bar on a terminal, plain
/// lines otherwise; one line of metrics per epoch), then prints the test metrics of the best
/// epoch. RUN_DIR (default <c>runs/&lt;Model&gt;-&lt;yyyyMMdd-HHmmss&gt;</c>) receives
/// <c>model.safetensors</c> (the best epoch's state dict, keys as <c>fusion params</c> plus
/// buffers, metadata with the spec hash), <c>metrics.jsonl</c>, <c>last.safetensors</c> (the state
/// <c>--resume RUN_DIR</c> continues from) and a copy of the spec.
/// </summary>
public static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file (YAML)." };
        var data = RunOptions.Data();
        var samples = RunOptions.Samples();
        var epochs = new Option<int?>("--epochs") { Description = "Epochs instead of the spec's." };
        var seed = new Option<int?>("--seed") { Description = "Seed of initialisation and shuffling instead of the spec's." };
        var runDir = new Option<string?>("--out") { Description = "The run folder (default runs/<Model>-<yyyyMMdd-HHmmss>)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last.safetensors (up to --epochs in all)." };
        var command = new Command("train", "Compile a spec, train the model on its data, and write the run folder.");
        command.Arguments.Add(spec);
        command.Options.Add(data);
        command.Options.Add(epochs);
        command.Options.Add(seed);
        command.Options.Add(samples);
        command.Options.Add(runDir);
        command.Options.Add(resume);
        command.SetAction(parsed => Execute(
            new Request(parsed.GetValue(spec) ?? string.Empty, parsed.GetValue(data), parsed.GetValue(epochs), parsed.GetValue(seed), parsed.GetValue(samples), parsed.GetValue(runDir), parsed.GetValue(resume)),
            output,
            error));
        return command;
    }

    public sealed record Request(string Spec, string? Data = null, int? Epochs = null, int? Seed = null, int? Samples = null, string? RunDir = null, string? Resume = null);

    public static int Execute(Request request, TextWriter output, TextWriter error)
    {
        if ((RunOptions.CheckPositive(request.Epochs, "--epochs", error) ?? RunOptions.CheckPositive(request.Samples, "--samples", error)) is { } usage)
        {
            return usage;
        }

        if (request.Resume is not null && request.RunDir is not null && Path.GetFullPath(request.Resume) != Path.GetFullPath(request.RunDir))
        {
            error.WriteLine("fusion: --resume continues the run in its own folder; leave out --out");
            return ExitCodes.SpecErrors;
        }

        if (request.Resume is not null && !File.Exists(Path.Combine(request.Resume, TrainerOptions.StateFile)))
        {
            error.WriteLine($"fusion: --resume {request.Resume}: no {TrainerOptions.StateFile} there to continue from");
            return ExitCodes.SpecErrors;
        }

        if (LoadedModel.TryLoad(request.Spec, error, out var loaded) is { } failed)
        {
            return failed;
        }

        using (loaded)
        {
            var spec = loaded!.Generated.Spec;
            int seed = request.Seed ?? spec.Training.Seed;
            var model = loaded.Create(new RandomSource(seed));
            var descriptor = model.Descriptor;
            IReadOnlyList<Dataset> parts;
            try
            {
                parts = ModelData.Split(descriptor, ModelData.Load(descriptor, request.Spec, request.Data, request.Samples));
            }
            catch (DataException e)
            {
                error.WriteLine($"fusion: {e.Message}");
                return ExitCodes.SpecErrors;
            }

            var (train, validation, test) = (parts[0], parts[1], parts[2]);
            string runDir = request.Resume ?? request.RunDir ?? Path.Combine("runs", $"{spec.Model}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            int epochs = request.Epochs ?? descriptor.Training.Epochs;
            output.WriteLine($"training {spec.Model} ({model.ParameterCount()} parameters) on {train.Count} samples, validating on {validation.Count}, testing on {test.Count}; seed {seed}, {epochs} epochs");

            TrainingResult result;
            try
            {
                Directory.CreateDirectory(runDir);
                File.Copy(request.Spec, Path.Combine(runDir, Path.GetFileName(request.Spec)), overwrite: true);
                var options = new TrainerOptions
                {
                    Epochs = epochs,
                    Seed = seed,
                    OutputDirectory = runDir,
                    ResumeFrom = request.Resume is null ? null : Path.Combine(runDir, TrainerOptions.StateFile),
                    CheckpointMetadata = new Dictionary<string, string>
                    {
                        [ModuleCheckpoint.SpecHashKey] = spec.SourceHash,
                        ["model"] = spec.Model,
                    },
                };
                result = TrainingDisplay.Run(output, epochs, options, o => new Trainer(model, o).Fit(train, validation));
            }
            catch (TrainingException e)
            {
                error.WriteLine($"fusion: training {spec.Model} failed: {e.Message}");
                return ExitCodes.SpecErrors;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"fusion: cannot write the run folder {runDir}: {e.Message}");
                return ExitCodes.SpecErrors;
            }

            output.WriteLine($"best epoch {result.BestEpoch} by {result.SelectionMetric} {MetricsText.Value(result.BestValue)}{(result.StoppedEarly ? " (stopped early)" : string.Empty)}");
            if (test.Count > 0)
            {
                output.WriteLine(MetricsText.Result("test", Evaluator.Evaluate(model, test, descriptor.Training.BatchSize)));
            }

            output.WriteLine($"wrote {Path.Combine(runDir, TrainerOptions.CheckpointFile)}, {Path.Combine(runDir, TrainerOptions.MetricsFile)}");
            return ExitCodes.Ok;
        }
    }
}
