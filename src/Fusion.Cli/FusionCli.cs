using System.CommandLine;
using System.CommandLine.Invocation;
using Fusion.Cli.Commands;

namespace Fusion.Cli;

/// <summary>
/// The <c>fusion</c> command line: <c>check</c>, <c>graph</c>, <c>params</c>, <c>emit</c>,
/// <c>compile</c>, <c>train</c>, <c>eval</c>, <c>predict</c>, <c>probe</c>. <see cref="Run"/>
/// is the whole program, writers passed in, so tests can run it in-process.
/// </summary>
public static class FusionCli
{
    public static RootCommand BuildRootCommand(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("fusion: check, draw, inspect, compile, train and run Fusion.Dsl model specs (docs/spec-language.md).");
        root.Subcommands.Add(CheckCommand.Create(output, error));
        root.Subcommands.Add(GraphCommand.Create(output, error));
        root.Subcommands.Add(ParamsCommand.Create(output, error));
        root.Subcommands.Add(EmitCommand.Create(output, error));
        root.Subcommands.Add(CompileCommand.Create(output, error));
        root.Subcommands.Add(TrainCommand.Create(output, error));
        root.Subcommands.Add(EvalCommand.Create(output, error));
        root.Subcommands.Add(PredictCommand.Create(output, error));
        root.Subcommands.Add(ProbeCommand.Create(output, error));
        return root;
    }

    /// <summary>
    /// Parses <paramref name="args"/> and runs the chosen command. Never throws: an unexpected
    /// exception becomes one line on <paramref name="error"/> and <see cref="ExitCodes.InternalError"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return Run(BuildRootCommand(output, error), args, output, error);
        }
        catch (Exception e)
        {
            error.WriteLine($"fusion: internal error: {OneLine(e)}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>Runs <paramref name="root"/> on <paramref name="args"/> with the same no-stack-trace guarantee.</summary>
    public static int Run(RootCommand root, string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            // No arguments at all: show the help rather than a "required command" error.
            var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
            if (parsed.Action is ParseErrorAction parseError)
            {
                // A usage error: the messages go to the error writer; no help text on the output.
                parseError.ShowHelp = false;
            }

            var exit = parsed.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            });
            if (parsed.Errors.Count > 0)
            {
                error.WriteLine("fusion: see 'fusion --help' for usage");
            }

            return exit;
        }
        catch (Exception e)
        {
            error.WriteLine($"fusion: internal error: {OneLine(e)}");
            return ExitCodes.InternalError;
        }
    }

    private static string OneLine(Exception e)
    {
        var inner = e;
        while (inner is AggregateException { InnerException: { } next })
        {
            inner = next;
        }

        var message = inner.Message.Replace("\r", " ").Replace("\n", " ");
        return $"{inner.GetType().Name}: {message}";
    }
}
