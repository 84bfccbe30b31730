using System.Text.RegularExpressions;

namespace Fusion.Cli.Tests;

public class CheckCommandTests
{
    private static readonly Regex DiagnosticLine = new(
        @"^(?<file>.+):(?<line>\d+):(?<col>\d+): (?<severity>error|warning) (?<id>FUS\d{3}): (?<message>.+)$");

    [Fact]
    public void CleanSpecPrintsOkAndExitsZero()
    {
        var path = RepoPaths.Spec("tfn.yaml");

        var run = CliRun.Of("check", path);

        Assert.Equal(0, run.Exit);
        Assert.Equal(new[] { $"{path}: ok" }, run.OutLines);
        Assert.Equal(string.Empty, run.Err);
    }

    [Fact]
    public void SeveralCleanSpecsEachGetTheirOwnOkLine()
    {
        var tfn = RepoPaths.Spec("tfn.yaml");
        var cbmf = RepoPaths.Spec("cbmf.yaml");

        var run = CliRun.Of("check", tfn, cbmf);

        Assert.Equal(0, run.Exit);
        Assert.Equal(new[] { $"{tfn}: ok", $"{cbmf}: ok" }, run.OutLines);
    }

    [Fact]
    public void ThreeMistakesGiveThreeLocatedDiagnosticsAndExitOne()
    {
        var path = RepoPaths.Fixture("three-mistakes.yaml");

        var run = CliRun.Of("check", path);

        Assert.Equal(1, run.Exit);
        var diagnostics = run.OutLines.Select(l => DiagnosticLine.Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(3, diagnostics.Count);
        Assert.All(diagnostics, d =>
        {
            Assert.Equal(path, d.Groups["file"].Value);
            Assert.Equal("error", d.Groups["severity"].Value);
            Assert.True(int.Parse(d.Groups["col"].Value) > 0);
        });

        var found = diagnostics.Select(d => (Id: d.Groups["id"].Value, Line: int.Parse(d.Groups["line"].Value))).ToList();
        Assert.Equal(new[] { ("FUS001", 10), ("FUS011", 24), ("FUS002", 27) }, found);
        Assert.Contains("optional", diagnostics[0].Groups["message"].Value);   // the "did you mean"
        Assert.Equal($"{path}: 3 errors", run.OutLines[^1]);
    }

    [Fact]
    public void WarningsArePrintedButTheSpecStillPasses()
    {
        var path = RepoPaths.Fixture("one-warning.yaml");

        var run = CliRun.Of("check", path);

        Assert.Equal(0, run.Exit);
        Assert.Equal(2, run.OutLines.Length);
        var warning = DiagnosticLine.Match(run.OutLines[0]);
        Assert.True(warning.Success, run.OutLines[0]);
        Assert.Equal("warning", warning.Groups["severity"].Value);
        Assert.Equal("FUS100", warning.Groups["id"].Value);
        Assert.Equal("11", warning.Groups["line"].Value);
        Assert.Equal($"{path}: ok (1 warning)", run.OutLines[1]);
    }

    [Fact]
    public void MissingFileExitsTwoWithAMessageNamingItAndNoStackTrace()
    {
        var path = Path.Combine(RepoPaths.Root, "specs", "no-such-spec.yaml");

        var run = CliRun.Of("check", path);

        Assert.Equal(2, run.Exit);
        var line = Assert.Single(run.ErrLines);
        Assert.Contains("no-such-spec.yaml", line);
        Assert.DoesNotContain(" at ", run.Err);
        Assert.DoesNotContain("Exception", run.Err);
    }

    [Fact]
    public void UnreadableFileWinsOverErrorsInTheExitCode()
    {
        var run = CliRun.Of("check", RepoPaths.Fixture("three-mistakes.yaml"), "missing.yaml");

        Assert.Equal(2, run.Exit);
        Assert.Contains("missing.yaml", run.Err);
    }

    [Fact]
    public void CheckWithoutAFileIsAUsageError()
    {
        var run = CliRun.Of("check");

        Assert.Equal(1, run.Exit);
        Assert.NotEqual(string.Empty, run.Err);
    }
}
