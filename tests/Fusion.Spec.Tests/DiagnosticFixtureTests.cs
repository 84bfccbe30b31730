using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Tests;

/// <summary>One bad spec per diagnostic id (Fixtures/FUSnnn.yaml): the id, the line and the column.</summary>
public class DiagnosticFixtureTests
{
    public static TheoryData<string, int, int, string> Fixtures() => new()
    {
        { "FUS000", 4, 23, "not valid YAML" },
        { "FUS001", 6, 35, "did you mean 'hidden'?" },
        { "FUS002", 6, 18, "unknown op 'gruu'; did you mean 'gru'?" },
        { "FUS003", 6, 29, "'txet' in node 'text_h' is not a declared modality or node; did you mean 'text'?" },
        { "FUS004", 6, 3, "a -> b -> c -> a" },
        { "FUS005", 6, 3, "the name 'text' is already declared at 4:3" },
        { "FUS006", 6, 40, "'out' must be an integer, not the string 'thirty'" },
        { "FUS007", 6, 30, "modality 'audio' has shape [74] but node 'audio_h' (gru) expects a sequence [N, d]" },
        { "FUS008", 6, 3, "needs the key 'out'" },
        { "FUS009", 6, 40, "'out' is 0 but must be positive" },
        { "FUS010", 10, 13, "op 'mcb' takes exactly 2 inputs, but node 'pooled' lists 3" },
        { "FUS011", 10, 11, "loss 'cross_entropy' is attached to head 'score', which is a regressor head; it needs a classifier head" },
        { "FUS100", 8, 3, "fully connected graph" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ReportsTheIdAtItsLineAndColumn(string id, int line, int column, string messagePart)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", id + ".yaml");

        var result = SpecReader.ReadFile(path);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(path, diagnostic.Location.File);
        Assert.Equal((line, column), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains(messagePart, diagnostic.Message);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ErrorsLeaveNoSpecAndWarningsDoNot(string id, int line, int column, string messagePart)
    {
        _ = (line, column, messagePart);
        var result = SpecReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "Fixtures", id + ".yaml"));

        bool warning = id == "FUS100";
        Assert.Equal(!warning, result.HasErrors);
        Assert.Equal(warning, result.Spec is not null);
    }

    [Fact]
    public void EveryIdOfTheCatalogueHasAFixture()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id);
        var covered = Fixtures().Select(row => (string)row[0]);

        Assert.Equal(ids.Order(), covered.Order());
    }

    [Fact]
    public void ThreeMistakesGiveThreeLocatedDiagnostics()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "ThreeMistakes.yaml");

        var result = SpecReader.ReadFile(path);

        Assert.Equal(
            ["FUS001 7:44", "FUS003 8:30", "FUS011 14:34"],
            result.Diagnostics.Select(d => $"{d.Id} {d.Location.Line}:{d.Location.Column}"));
        Assert.Null(result.Spec);
    }

    [Fact]
    public void PrintsAsFileLineColumnSeverityIdMessage()
    {
        var error = new SpecDiagnostic("FUS003", DiagnosticSeverity.Error, "bad", new SourceLocation("m.yaml", 3, 7));
        var warning = new SpecDiagnostic("FUS100", DiagnosticSeverity.Warning, "odd", new SourceLocation("m.yaml", 1, 1));

        Assert.Equal("m.yaml:3:7: error FUS003: bad", error.ToString());
        Assert.Equal("m.yaml:1:1: warning FUS100: odd", warning.ToString());
    }

    [Fact]
    public void AMissingFileThrowsSpecFileException()
    {
        var e = Assert.Throws<SpecFileException>(() => SpecReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "no-such-spec.yaml")));

        Assert.EndsWith("no-such-spec.yaml", e.Path);
    }
}
