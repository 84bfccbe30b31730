namespace Fusion.Spec.Tests;

/// <summary>Helpers that read spec text the way the CLI does.</summary>
internal static class SpecText
{
    public const string Path = "test.yaml";

    public static SpecResult Parse(string yaml) => SpecReader.Parse(yaml, Path);

    /// <summary>Parses text that must check without errors and returns its IR.</summary>
    public static Ir.FusionSpec Valid(string yaml)
    {
        var result = Parse(yaml);
        Assert.True(!result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    /// <summary>A minimal spec around the given modalities and fusion lines, with one regressor head on <paramref name="headInput"/>.</summary>
    public static string Around(string modalities, string nodes, string headInput, string extra = "") => $$"""
        model: Probe
        modalities:
        {{Indent(modalities)}}
        fusion:
        {{Indent(nodes)}}
        heads:
          out: { type: regressor, input: {{headInput}} }
        losses:
          - { type: mse, head: out }
        {{extra}}
        """;

    private static string Indent(string lines) =>
        string.Join("\n", lines.Split('\n').Select(l => "  " + l.TrimEnd('\r')));
}
