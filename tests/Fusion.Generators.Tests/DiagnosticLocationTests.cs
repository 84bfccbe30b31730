using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Fusion.Generators.Tests;

/// <summary>
/// Spec problems are Roslyn diagnostics where the user wrote them: at the attribute argument for a
/// [FusionModel] class, at the YAML line and column for a <c>*.fusion.yaml</c> file.
/// </summary>
public sealed class DiagnosticLocationTests
{
    private const string ModelPath = "Models/Broken.cs";

    [Theory]
    [InlineData("Out = 8", "Out = 0", "0", "FUS009")]
    [InlineData("Input = \"text\"", "Input = \"txt\"", "\"txt\"", "FUS003")]
    [InlineData("Out = 8", "Out = 8, Channels = 4", "Channels", "FUS001")]
    [InlineData("Out = 8", "Out = 8, Dropout = 1.5", "1.5", "FUS009")]
    [InlineData("Hidden = [16]", "Hidden = [16, -2]", "-2", "FUS009")]
    public void Bad_attribute_argument_is_reported_at_that_argument(string original, string argument, string at, string id)
    {
        string source = Model("[Encoder(\"text_h\", Op.Mlp, Input = \"text\", Out = 8, Hidden = [16])]".Replace(original, argument));
        var run = GeneratorHarness.Run([(ModelPath, source)]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, ModelPath, source, source.IndexOf(argument, StringComparison.Ordinal) + argument.IndexOf(at, StringComparison.Ordinal), at.Length);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void Bad_modality_shape_item_is_reported_at_that_item()
    {
        string source = Model("[Encoder(\"text_h\", Op.Mlp, Input = \"text\", Out = 8)]").Replace("[Modality(\"text\", 12)]", "[Modality(\"text\", 4, 0)]");
        var run = GeneratorHarness.Run([(ModelPath, source)]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "FUS009");
        AssertAt(diagnostic, ModelPath, source, source.IndexOf("4, 0)", StringComparison.Ordinal) + 3, 1);
    }

    [Fact]
    public void Op_the_code_generator_cannot_emit_is_FUS200_at_the_node_name()
    {
        // modality dropout over token ids: the one op the runtime cannot run
        string source = Model("[FusionNode(\"drop\", Op.ModalityDropout, Inputs = [\"words\", \"text\"])]\n[Encoder(\"text_h\", Op.Linear, Input = \"drop.text\", Out = 8)]")
            .Replace("[Modality(\"text\", 12)]", "[Modality(\"text\", 12)]\n[Modality(\"words\", 6, Kind = ModalityKind.Tokens, Vocab = 20)]");
        var run = GeneratorHarness.Run([(ModelPath, source)]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("FUS200", diagnostic.Id);
        AssertAt(diagnostic, ModelPath, source, source.IndexOf("\"drop\"", StringComparison.Ordinal), "\"drop\"".Length);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void Missing_section_is_reported_at_the_class_name()
    {
        string source = Model("[Encoder(\"text_h\", Op.Mlp, Input = \"text\", Out = 8)]").Replace("[Loss(LossType.CrossEntropy, Head = \"label\")]", string.Empty);
        var run = GeneratorHarness.Run([(ModelPath, source)]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("FUS008", diagnostic.Id);
        Assert.Contains("losses", diagnostic.GetMessage(), StringComparison.Ordinal);
        AssertAt(diagnostic, ModelPath, source, source.IndexOf("Broken", StringComparison.Ordinal), "Broken".Length);
    }

    [Fact]
    public void Class_that_is_not_partial_is_reported_at_its_name()
    {
        string source = Model("[Encoder(\"text_h\", Op.Mlp, Input = \"text\", Out = 8)]").Replace("public partial class Broken", "public class Broken");
        var run = GeneratorHarness.Run([(ModelPath, source)]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("FUS300", diagnostic.Id);
        AssertAt(diagnostic, ModelPath, source, source.IndexOf("Broken", StringComparison.Ordinal), "Broken".Length);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Theory]
    [InlineData("out: 8", "out: 8\n    hiden: [16]", "hiden", "FUS001")]
    [InlineData("out: 8", "out: -4", "-4", "FUS009")]
    [InlineData("input: text\n", "input: txt\n", "txt", "FUS003")]
    public void Bad_yaml_value_is_reported_at_its_line_and_column(string original, string replacement, string at, string id)
    {
        string yaml = Yaml.Replace(original, replacement);
        string entry = replacement.Split('\n').Select(l => l.Trim()).Last(l => l.Length > 0);
        var run = GeneratorHarness.Run([], [new YamlInput("models/broken.fusion.yaml", yaml)]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);
        AssertAt(diagnostic, "models/broken.fusion.yaml", yaml, yaml.IndexOf(entry, StringComparison.Ordinal) + entry.IndexOf(at, StringComparison.Ordinal), at.Length);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void Invalid_yaml_is_FUS000_in_the_file()
    {
        string yaml = "model: Broken\nmodalities:\n  text: { shape: [12\nheads: {}\n";
        var run = GeneratorHarness.Run([], [new YamlInput("models/broken.fusion.yaml", yaml)]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("FUS000", diagnostic.Id);
        Assert.Equal("models/broken.fusion.yaml", diagnostic.Location.GetLineSpan().Path);
        Assert.InRange(diagnostic.Location.GetLineSpan().StartLinePosition.Line, 2, 4);
    }

    private static void AssertAt(Diagnostic diagnostic, string path, string text, int position, int length)
    {
        Assert.True(position >= 0);
        var expected = SourceText.From(text).Lines.GetLinePosition(position);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(path, span.Path);
        Assert.Equal(expected, span.StartLinePosition);
        Assert.Equal(length, span.EndLinePosition.Character - span.StartLinePosition.Character);
    }

    private static string Model(string encoder) => $$"""
        using Fusion.Annotations;

        namespace Tests.Models;

        [FusionModel]
        [Modality("text", 12)]
        {{encoder}}
        [Head("label", HeadType.Classifier, Input = "text_h", Classes = 2)]
        [Loss(LossType.CrossEntropy, Head = "label")]
        public partial class Broken
        {
        }
        """;

    private const string Yaml = """
        model: Broken
        namespace: Tests.Models
        modalities:
          text: { shape: [12] }
        encoders:
          text_h:
            op: mlp
            input: text
            out: 8
        heads:
          label: { type: classifier, input: text_h, classes: 2 }
        losses:
          - { type: cross_entropy, head: label }
        """;
}
