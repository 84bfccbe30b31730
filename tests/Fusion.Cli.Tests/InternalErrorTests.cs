using System.CommandLine;

namespace Fusion.Cli.Tests;

public class InternalErrorTests
{
    [Fact]
    public void AnExceptionInACommandBecomesOneLineAndANonZeroExit()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand("test");
        var boom = new Command("boom");
        Func<ParseResult, int> fail = _ => throw new InvalidOperationException("first line\nsecond line");
        boom.SetAction(fail);
        root.Subcommands.Add(boom);

        var exit = FusionCli.Run(root, ["boom"], output, error);

        Assert.Equal(ExitCodes.InternalError, exit);
        var text = error.ToString().TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', text);
        Assert.Equal("fusion: internal error: InvalidOperationException: first line second line", text);
    }
}
