namespace Fusion.Spec.Tests;

/// <summary>The YAML reader: locations, bad input, documents.</summary>
public class YamlFrontEndTests
{
    [Fact]
    public void NodesRememberTheLineAndColumnOfTheirName()
    {
        var spec = SpecText.Valid("""
            model: Where
            modalities:
              text: { shape: [300] }
            encoders:
                text_h: { op: mlp, input: text, out: 8 }
            heads:
              score: { type: regressor, input: text_h }
            losses:
              - { type: mse, head: score }
            """);

        var node = spec.FindNode("text_h")!;
        Assert.Equal((5, 5), (node.Location.Line, node.Location.Column));
        Assert.Equal((5, 31), (node.Inputs[0].Location.Line, node.Inputs[0].Location.Column));
        Assert.Equal((3, 3), (spec.Modalities[0].Location.Line, spec.Modalities[0].Location.Column));
    }

    [Theory]
    [InlineData("model: [unclosed")]
    [InlineData("model: A\n  bad: indentation\n")]
    [InlineData("model: A\n\tmodalities: {}\n")]
    [InlineData("modalities:\n  text: { shape: [300 }\n")]
    public void InvalidYamlIsFus000AtTheParsersLocation(string text)
    {
        var parserError = Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => new YamlDotNet.RepresentationModel.YamlStream().Load(new StringReader(text)));

        var result = SpecText.Parse(text);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("FUS000", d.Id);
        Assert.Equal((parserError.Start.Line, parserError.Start.Column), ((long)d.Location.Line, (long)d.Location.Column));
        Assert.Null(result.Spec);
    }

    [Fact]
    public void AnEmptyFileNeedsAModel()
    {
        var d = Assert.Single(SpecText.Parse("# nothing\n").Diagnostics);

        Assert.Equal("FUS008", d.Id);
    }

    [Fact]
    public void SeveralDocumentsAreFus000()
    {
        var result = SpecText.Parse("model: A\n---\nmodel: B\n");

        Assert.Contains(result.Diagnostics, d => d.Id == "FUS000" && d.Location.Line == 2);
    }

    [Fact]
    public void QuotedNumbersAreStrings()
    {
        var result = SpecText.Parse(SpecText.Around("a: { shape: [10] }", "n: { op: mlp, input: a, out: \"8\" }", "a"));

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("FUS006", d.Id);
        Assert.Contains("not the string '8'", d.Message);
    }

    [Fact]
    public void AnchorsAndAliasesAreResolved()
    {
        var spec = SpecText.Valid(SpecText.Around(
            "a: &vec { shape: [10] }\nb: *vec",
            "n: { op: concat, inputs: [a, b] }",
            "n"));

        Assert.Equal("[20]", spec.FindNode("n")!.Output!.ToString());
    }

    [Fact]
    public void DuplicateKeysAreReported()
    {
        var result = SpecText.Parse(SpecText.Around("a: { shape: [10] }", "n: { op: mlp, input: a, out: 8, out: 9 }", "a"));

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("FUS005", d.Id);
        Assert.Contains("appears twice", d.Message);
    }

    [Fact]
    public void DeepNestingIsFus000NotAStackOverflow()
    {
        string text = "model: " + new string('[', 100000) + new string(']', 100000) + "\n";

        var d = Assert.Single(SpecText.Parse(text).Diagnostics);

        Assert.Equal("FUS000", d.Id);
        Assert.Contains("deeper than 64 levels", d.Message);
    }
}
