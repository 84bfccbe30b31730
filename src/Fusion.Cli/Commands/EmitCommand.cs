using System.CommandLine;
using Fusion.Cli.Compilation;

namespace Fusion.Cli.Commands;

/// <summary>
/// <c>fusion emit SPEC</c>: prints the C# source of the typed module generated from the spec
/// (docs/codegen.md). Spec and emitter diagnostics (FUS200: not supported by the code generator
/// yet) go to standard error as <c>check</c> prints them; exit 1 when there are errors.
/// </summary>
public static class EmitCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file (YAML)." };
        var command = new Command("emit", "Print the C# source of the model generated from a spec.");
        command.Arguments.Add(spec);
        command.SetAction(parsed => Execute(parsed.GetValue(spec) ?? string.Empty, output, error));
        return command;
    }

    public static int Execute(string path, TextWriter output, TextWriter error)
    {
        if (GeneratedSource.TryCreate(path, error, out var generated) is { } failed)
        {
            return failed;
        }

        output.Write(generated!.Source);
        return ExitCodes.Ok;
    }
}
