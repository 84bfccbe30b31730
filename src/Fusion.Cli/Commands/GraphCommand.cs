using System.CommandLine;
using Fusion.Compiler.Graph;

namespace Fusion.Cli.Commands;

/// <summary>
/// <c>fusion graph SPEC [--format mermaid|dot] [--losses]</c>: prints the fusion graph
/// (modalities, context, nodes, heads; losses on request) with the inferred shape on every
/// edge. Diagnostics go to standard error; a spec with errors draws nothing (exit 1).
/// </summary>
public static class GraphCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file (YAML)." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: mermaid (a Mermaid flowchart) or dot (Graphviz).",
            DefaultValueFactory = _ => "mermaid",
        };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var losses = new Option<bool>("--losses") { Description = "Also draw the losses and what they attach to." };

        var command = new Command("graph", "Draw the fusion graph with the inferred shape on every edge.");
        command.Arguments.Add(spec);
        command.Options.Add(format);
        command.Options.Add(losses);
        command.SetAction(parsed => Execute(
            parsed.GetValue(spec) ?? string.Empty,
            parsed.GetValue(format) ?? "mermaid",
            parsed.GetValue(losses),
            output,
            error));
        return command;
    }

    public static int Execute(string path, string format, bool includeLosses, TextWriter output, TextWriter error)
    {
        if (SpecLoader.TryLoad(path, error, out var spec) is { } failed)
        {
            return failed;
        }

        var graph = FusionGraph.From(spec!, includeLosses);
        output.Write(format == "dot" ? DotWriter.Write(graph) : MermaidWriter.Write(graph));
        return ExitCodes.Ok;
    }
}
