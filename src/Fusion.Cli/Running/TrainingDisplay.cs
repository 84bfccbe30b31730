using Fusion.Runtime.Training;
using Spectre.Console;

namespace Fusion.Cli.Running;

/// <summary>
/// How <c>fusion train</c> shows progress: a Spectre.Console progress bar (epoch and batch, last
/// loss) when the output is the console of a terminal, plain lines otherwise (tests, CI logs,
/// redirected output). Both print one line of metrics per epoch.
/// </summary>
internal static class TrainingDisplay
{
    /// <summary>True when <paramref name="output"/> is an interactive console.</summary>
    public static bool IsInteractive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="train"/>, handing it the options that report to the chosen display.</summary>
    public static TrainingResult Run(TextWriter output, int epochs, TrainerOptions options, Func<TrainerOptions, TrainingResult> train)
    {
        if (!IsInteractive(output))
        {
            return train(options with { EpochEnd = e => output.WriteLine(MetricsText.Epoch(e, epochs)) });
        }

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: epochs);
                result = train(options with
                {
                    Progress = p =>
                    {
                        task.Description = $"epoch {p.Epoch}/{p.Epochs} batch {p.Batch}/{p.Batches} loss {MetricsText.Value(p.Loss)}";
                        task.Value = p.Epoch - 1 + (double)p.Batch / p.Batches;
                    },
                    EpochEnd = e => AnsiConsole.MarkupLine(Markup.Escape(MetricsText.Epoch(e, epochs))),
                });
                task.Value = task.MaxValue;
            });
        return result!;
    }
}
