using System.CommandLine;
using Fusion.Spec;

namespace Fusion.Cli.Commands;

/// <summary>
/// <c>fusion check SPEC...</c>: validates each spec. Prints <c>path: ok</c> for a clean file,
/// otherwise every diagnostic as <c>path:line:col: error FUSnnn: message</c> (warnings as
/// <c>warning</c>) to standard output, then a summary line for the file. Exit code: 0 when no
/// file has errors (warnings allowed), 1 when some file has errors, 2 when some file cannot
/// be read (2 wins over 1).
/// </summary>
public static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var specs = new Argument<string[]>("spec")
        {
            Description = "One or more spec files (YAML).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("check", "Validate specs: every problem with its file, line and column.");
        command.Arguments.Add(specs);
        command.SetAction(parsed => Execute(parsed.GetValue(specs) ?? [], output, error));
        return command;
    }

    public static int Execute(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
        var exit = ExitCodes.Ok;
        foreach (var path in paths)
        {
            exit = Math.Max(exit, CheckOne(path, output, error));
        }

        return exit;
    }

    private static int CheckOne(string path, TextWriter output, TextWriter error)
    {
        if (SpecLoader.TryRead(path, error) is not { } result)
        {
            return ExitCodes.Unreadable;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }

        var errors = result.Diagnostics.Count(d => d.IsError);
        var warnings = result.Diagnostics.Length - errors;
        if (errors > 0)
        {
            output.WriteLine($"{path}: {Count(errors, "error")}{(warnings > 0 ? ", " + Count(warnings, "warning") : string.Empty)}");
            return ExitCodes.SpecErrors;
        }

        output.WriteLine(warnings > 0 ? $"{path}: ok ({Count(warnings, "warning")})" : $"{path}: ok");
        return ExitCodes.Ok;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
