using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fusion.Cli.Compilation;
using Fusion.Cli.Running;
using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Training;
using Fusion.Spec.Ir;

namespace Fusion.Cli.Commands;

/// <summary>
/// <c>fusion probe SPEC --run RUN_DIR [--input REF] [--target COLUMN] [--classes N] [--data PATH] [--samples N]</c>:
/// the linear-probe evaluation of a trained representation (CBMF, CLIP). The best checkpoint of
/// RUN_DIR stays frozen; the output <c>REF</c> (default: the input of the first embedding head,
/// else of the first head; any head or any representation a head or loss reads) is computed for
/// every sample (a vector modality's name probes the input data itself, the baseline a learned
/// representation should beat), and a multinomial logistic regression (<see cref="LinearProbe"/>) learns the
/// class label <c>COLUMN</c> from it on the train part, its L2 penalty chosen on the validation
/// part, and is scored on the test part (the parts <c>train</c> used). Labels: a classifier
/// target of the spec, the class of the shared latent of synthetic data (<c>shared_class</c>,
/// the default for specs without a classifier), or an integer column of an .npz / .npy folder
/// (<c>label</c> by default); see <see cref="ProbeData"/>. Prints one line and writes
/// <c>RUN_DIR/probe.json</c>.
/// </summary>
public static class ProbeCommand
{
    /// <summary>The result file in the run folder.</summary>
    public const string ResultFile = "probe.json";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file (YAML)." };
        var run = new Option<string>("--run") { Description = "A run folder written by 'fusion train' for this spec (its model.safetensors is probed).", Required = true };
        var input = new Option<string?>("--input") { Description = "The representation to probe: a head, a node or node.member a head or loss reads, or a vector modality (its data as it is) (default: the first embedding head's input)." };
        var target = new Option<string?>("--target") { Description = "The class-label column (default: the first classifier target; shared_class for synthetic data; label for files)." };
        var classes = new Option<int?>("--classes") { Description = "Number of classes (default: the target's; 4 for shared_class; 1 + the largest label of a file)." };
        var data = RunOptions.Data();
        var samples = RunOptions.Samples();
        var command = new Command("probe", "Fit a linear probe (logistic regression) on a trained model's frozen representation and report its test accuracy.");
        command.Arguments.Add(spec);
        command.Options.Add(run);
        command.Options.Add(input);
        command.Options.Add(target);
        command.Options.Add(classes);
        command.Options.Add(data);
        command.Options.Add(samples);
        command.SetAction(parsed => Execute(
            new Request(parsed.GetValue(spec) ?? string.Empty, parsed.GetValue(run) ?? string.Empty, parsed.GetValue(input), parsed.GetValue(target), parsed.GetValue(classes), parsed.GetValue(data), parsed.GetValue(samples)),
            output,
            error));
        return command;
    }

    public sealed record Request(string Spec, string Run, string? Input = null, string? Target = null, int? Classes = null, string? Data = null, int? Samples = null);

    public static int Execute(Request request, TextWriter output, TextWriter error)
    {
        if (RunOptions.CheckPositive(request.Samples, "--samples", error) is { } usage) return usage;
        if (request.Classes is int k && k < 2)
        {
            error.WriteLine($"fusion: --classes must be at least 2 (got {k})");
            return ExitCodes.SpecErrors;
        }

        string checkpoint = Path.Combine(request.Run, TrainerOptions.CheckpointFile);
        if (!File.Exists(checkpoint))
        {
            error.WriteLine($"fusion: --run {request.Run}: no {TrainerOptions.CheckpointFile} there to probe (write one with 'fusion train {request.Spec} --out {request.Run}')");
            return ExitCodes.SpecErrors;
        }

        if (LoadedModel.TryLoad(request.Spec, error, out var loaded) is { } failed) return failed;
        using (loaded)
        {
            var spec = loaded!.Generated.Spec;
            var model = loaded.Create(new RandomSource(spec.Training.Seed));
            var descriptor = model.Descriptor;
            string input = request.Input ?? DefaultInput(spec);
            string target = request.Target ?? ProbeData.DefaultTarget(descriptor, request.Data);
            try
            {
                CheckpointLoader.Load(model, spec, checkpoint);
                var (all, classes) = ProbeData.Load(descriptor, request.Spec, request.Data, request.Samples, target, request.Classes);
                var parts = ModelData.Split(descriptor, all);
                if (parts[0].Count == 0 || parts[2].Count == 0)
                {
                    error.WriteLine($"fusion: the probe needs train and test samples; the split gives {parts[0].Count} and {parts[2].Count}");
                    return ExitCodes.SpecErrors;
                }

                int batch = descriptor.Training.BatchSize;
                var (train, validation, test) = (Samples(model, parts[0], input, target, batch), Samples(model, parts[1], input, target, batch), Samples(model, parts[2], input, target, batch));
                var (probe, validationAccuracy) = validation.Count > 0
                    ? LinearProbe.Select(train, validation, classes)
                    : (LinearProbe.Fit(train, classes), double.NaN);
                var result = new ProbeResult(input, target, classes, train.Width, probe.Penalty, train.Count, validation.Count, test.Count,
                    probe.Accuracy(train), validationAccuracy, probe.Accuracy(test), test.MajorityShare(classes));
                string file = Path.Combine(request.Run, ResultFile);
                File.WriteAllText(file, result.ToJson());
                output.WriteLine(result.Line());
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
                error.WriteLine($"fusion: cannot write {Path.Combine(request.Run, ResultFile)}: {e.Message}");
                return ExitCodes.SpecErrors;
            }
        }
    }

    /// <summary>The input of the first embedding head, else of the first head.</summary>
    private static string DefaultInput(FusionSpec spec) =>
        (spec.Heads.FirstOrDefault(h => h.Type == HeadType.Embedding) ?? spec.Heads[0]).Input.Text;

    /// <summary>The features of <paramref name="input"/> (a vector modality's data as it is, else a model output) and the labels of one part.</summary>
    private static ProbeSamples Samples(Runtime.Models.FusionModel model, Dataset part, string input, string target, int batch)
    {
        if (part.Count == 0) return new ProbeSamples([], 1, []);
        var labels = part[target].Longs!;
        if (model.Descriptor.Modalities.FirstOrDefault(m => m.Name == input) is { } modality)
        {
            if (modality.Kind != Runtime.Data.ModalityKind.Vector)
                throw new TrainingException($"modality '{input}' is a {modality.Kind.ToString().ToLowerInvariant()}; the probe reads vectors (probe a node that pools it)");
            return new ProbeSamples(part[input].Floats!, modality.Shape[0], labels);
        }

        var (features, width) = RepresentationReader.Read(model, part, input, batch);
        return new ProbeSamples(features, width, labels);
    }

    /// <summary>What <c>probe</c> prints and writes to <c>probe.json</c>.</summary>
    private sealed record ProbeResult(
        string Input, string Target, int Classes, int Width, double Penalty, int TrainSamples, int ValidationSamples, int TestSamples,
        double TrainAccuracy, double ValidationAccuracy, double TestAccuracy, double Chance)
    {
        /// <summary><c>probe dfe.image_proj [256] -> shared_class (4 classes): test accuracy 0.8732 (chance 0.2500); train 0.9012, validation 0.8800; penalty 0.001; 1228/410/410 samples</c>.</summary>
        public string Line() =>
            $"probe {Input} [{Width}] -> {Target} ({Classes} classes): test accuracy {MetricsText.Value(TestAccuracy)} (chance {MetricsText.Value(Chance)}); " +
            $"train {MetricsText.Value(TrainAccuracy)}, validation {(ValidationSamples > 0 ? MetricsText.Value(ValidationAccuracy) : "-")}; " +
            $"penalty {Penalty.ToString("R", CultureInfo.InvariantCulture)}; {TrainSamples}/{ValidationSamples}/{TestSamples} samples";

        public string ToJson()
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("input", Input);
                json.WriteString("target", Target);
                json.WriteNumber("classes", Classes);
                json.WriteNumber("width", Width);
                json.WriteNumber("penalty", Penalty);
                json.WriteNumber("train_samples", TrainSamples);
                json.WriteNumber("validation_samples", ValidationSamples);
                json.WriteNumber("test_samples", TestSamples);
                json.WriteNumber("train_accuracy", TrainAccuracy);
                if (double.IsFinite(ValidationAccuracy)) json.WriteNumber("validation_accuracy", ValidationAccuracy);
                else json.WriteNull("validation_accuracy");
                json.WriteNumber("test_accuracy", TestAccuracy);
                json.WriteNumber("chance", Chance);
                json.WriteEndObject();
            }

            return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        }
    }
}
