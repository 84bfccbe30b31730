namespace Fusion.Cli.Tests;

public class GraphCommandTests
{
    [Fact]
    public void MermaidIsTheDefaultAndEveryEdgeCarriesItsShape()
    {
        var run = CliRun.Of("graph", RepoPaths.Spec("tfn.yaml"));

        Assert.Equal(0, run.Exit);
        Assert.Equal("flowchart LR", run.OutLines[0]);
        Assert.Contains("    text -->|\"[50, 300]\"| text_lstm", run.OutLines);
        Assert.Contains("    text_lstm -->|\"[128]\"| text_h", run.OutLines);
        Assert.Contains("    audio -->|\"[74]\"| audio_h", run.OutLines);
        Assert.Contains("    vision_h -->|\"[16]\"| tfn", run.OutLines);
        Assert.Contains("    tfn -->|\"[9537]\"| fused", run.OutLines);
        Assert.Contains("    fused -->|\"[128]\"| sentiment", run.OutLines);
        var edges = run.OutLines.Where(l => l.Contains("-->")).ToList();
        Assert.Equal(9, edges.Count);
        Assert.All(edges, e => Assert.Matches(@"-->\|""\[[0-9, N]*\]""\|", e));
    }

    [Fact]
    public void DotFormatLabelsEdgesWithShapes()
    {
        var run = CliRun.Of("graph", RepoPaths.Spec("tfn.yaml"), "--format", "dot");

        Assert.Equal(0, run.Exit);
        Assert.StartsWith("digraph \"Tfn\" {", run.Out);
        Assert.Contains("    \"text\" -> \"text_lstm\" [label=\"[50, 300]\"];", run.OutLines);
        Assert.Contains("    \"tfn\" -> \"fused\" [label=\"[9537]\"];", run.OutLines);
        Assert.EndsWith("}\n", run.Out);
    }

    [Fact]
    public void LossesAreDrawnOnRequest()
    {
        var without = CliRun.Of("graph", RepoPaths.Spec("tfn.yaml"));
        var with = CliRun.Of("graph", RepoPaths.Spec("tfn.yaml"), "--losses");

        Assert.DoesNotContain(without.OutLines, l => l.Contains("-->|\"[1]\"| l1"));
        Assert.Contains("    sentiment -->|\"[1]\"| l1", with.OutLines);
    }

    [Fact]
    public void MembersOfACbmfNodeAreNamedOnTheirEdges()
    {
        var run = CliRun.Of("graph", RepoPaths.Spec("cbmf.yaml"));

        Assert.Equal(0, run.Exit);
        Assert.Contains("    context -->|\"[256]\"| dfe", run.OutLines);
        Assert.Contains("    dfe -->|\"image_proj [256]\"| image_embedding", run.OutLines);
        Assert.Contains("    dfe -->|\"text_proj [256]\"| text_embedding", run.OutLines);
    }

    [Fact]
    public void UnknownFormatIsAUsageError()
    {
        var run = CliRun.Of("graph", RepoPaths.Spec("tfn.yaml"), "--format", "svg");

        Assert.Equal(1, run.Exit);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public void SpecWithErrorsDrawsNothingAndReportsTheDiagnostics()
    {
        var run = CliRun.Of("graph", RepoPaths.Fixture("three-mistakes.yaml"));

        Assert.Equal(1, run.Exit);
        Assert.Equal(string.Empty, run.Out);
        Assert.Contains("FUS001", run.Err);
    }

    [Fact]
    public void MissingFileExitsTwo()
    {
        var run = CliRun.Of("graph", "absent.yaml");

        Assert.Equal(2, run.Exit);
        Assert.Contains("absent.yaml", run.Err);
    }
}
