using System.CommandLine;
using System.Globalization;
using Fusion.Spec;

namespace Fusion.Cli.Commands;

/// <summary>
/// <c>fusion params SPEC</c>: every trainable tensor of the model, one per line on standard
/// output as <c>key&lt;TAB&gt;[d0, d1]</c> (the PyTorch state-dict key and shape, in layout
/// order), so the output can be piped and compared as it is. The total goes to standard
/// error as <c>total: N parameters in T tensors</c>.
/// </summary>
public static class ParamsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file (YAML)." };
        var command = new Command("params", "List every trainable tensor (state-dict key and shape) and the total count.");
        command.Arguments.Add(spec);
        command.SetAction(parsed => Execute(parsed.GetValue(spec) ?? string.Empty, output, error));
        return command;
    }

    public static int Execute(string path, TextWriter output, TextWriter error)
    {
        if (SpecLoader.TryLoad(path, error, out var spec) is { } failed)
        {
            return failed;
        }

        var parameters = ParameterLayout.Trainable(spec!);
        long total = 0;
        foreach (var parameter in parameters)
        {
            output.WriteLine($"{parameter.Key}\t{parameter.Shape}");
            total += parameter.Shape.ElementCount;
        }

        error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"total: {total} parameters in {parameters.Length} tensors"));
        return ExitCodes.Ok;
    }
}
