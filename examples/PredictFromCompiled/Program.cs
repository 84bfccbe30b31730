using System.Globalization;
using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Nn;
using Fusion.Runtime.Training;

namespace PredictFromCompiled;

/// <summary>
/// <c>PredictFromCompiled MODEL.dll [--checkpoint model.safetensors] [--data FILE.npz] [--samples N]</c>:
/// loads an assembly written by <c>fusion compile</c>, optionally the weights written by
/// <c>fusion train</c>, builds a dataset from an .npz file (arrays named after the modalities) or
/// from the synthetic generator (N samples, default 4), predicts, and prints every head's outputs:
/// <c>head [N, k]</c>, then one line of values per sample.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>The whole program, writers passed in (tests run it in-process).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            error.WriteLine("usage: PredictFromCompiled MODEL.dll [--checkpoint FILE] [--data FILE.npz] [--samples N]");
            return 2;
        }

        string? checkpoint = null, data = null;
        int samples = 4;
        for (int i = 1; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--checkpoint" when value is not null: checkpoint = value; i++; break;
                case "--data" when value is not null: data = value; i++; break;
                case "--samples" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out samples) && samples > 0: i++; break;
                default:
                    error.WriteLine($"unknown or incomplete argument '{args[i]}'");
                    return 2;
            }
        }

        try
        {
            using var compiled = CompiledModel.Load(args[0]);
            var model = compiled.Create(new RandomSource(0));
            if (checkpoint is not null) ModuleCheckpoint.Load(model, checkpoint);
            var modalitiesOnly = new DataSchema(model.Descriptor.Modalities, []);
            var dataset = data is not null
                ? NpzData.Read(data, modalitiesOnly)
                : SyntheticData.Generate(model.Descriptor.Schema, new SyntheticOptions { Samples = samples });
            output.WriteLine($"{model.Descriptor.Name}: {model.ParameterCount()} parameters, {dataset.Count} samples");
            foreach (var head in Predictor.Predict(model, dataset, 32))
            {
                output.WriteLine($"{head.Head} [{string.Join(", ", head.Shape)}]");
                int width = head.Values.Length / head.Shape[0];
                for (int row = 0; row < head.Shape[0]; row++)
                {
                    output.WriteLine("  " + string.Join(" ", head.Values.Skip(row * width).Take(width).Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture))));
                }
            }

            return 0;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or InvalidOperationException or DataException or InvalidDataException or FormatException or StateDictMismatchException)
        {
            error.WriteLine($"PredictFromCompiled: {e.Message.Replace('\n', ' ')}");
            return 1;
        }
    }
}
