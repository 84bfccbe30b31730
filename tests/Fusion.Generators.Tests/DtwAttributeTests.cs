namespace Fusion.Generators.Tests;

/// <summary>
/// A dtw loss declared with attributes (<c>[Loss(LossType.Dtw, Between = [...], Gamma = ..., Cost = DtwCost...)]</c>)
/// generates the same module as the same loss in YAML, and the module compiles cleanly.
/// </summary>
public sealed class DtwAttributeTests
{
    private const string Attributes = """
        using Fusion.Annotations;

        namespace Tests.Models;

        [FusionModel]
        [Modality("audio", 6, 4)]
        [Modality("vision", 3, 5)]
        [Encoder("audio_steps", Op.Linear, Input = "audio", Out = 2)]
        [Encoder("vision_steps", Op.Linear, Input = "vision", Out = 2)]
        [Encoder("audio_vec", Op.Pool, Input = "audio_steps")]
        [Head("score", HeadType.Regressor, Input = "audio_vec")]
        [Loss(LossType.Mse, Head = "score")]
        [Loss(LossType.Dtw, Name = "warp", Between = ["audio_steps", "vision_steps"], Gamma = 0, Cost = DtwCost.Cosine, Weight = 0.25)]
        public partial class Warp
        {
        }
        """;

    private const string Yaml = """
        model: Warp
        namespace: Tests.Models
        modalities:
          audio: { shape: [6, 4] }
          vision: { shape: [3, 5] }
        encoders:
          audio_steps: { op: linear, input: audio, out: 2 }
          vision_steps: { op: linear, input: vision, out: 2 }
          audio_vec: { op: pool, input: audio_steps }
        heads:
          score: { type: regressor, input: audio_vec }
        losses:
          - { type: mse, head: score }
          - { type: dtw, name: warp, between: [audio_steps, vision_steps], gamma: 0, cost: cosine, weight: 0.25 }
        """;

    [Fact]
    public void Attribute_and_yaml_dtw_losses_generate_identical_code()
    {
        const string hintName = "Tests.Models.Warp.g.cs";
        var attributes = GeneratorHarness.Run([("Warp.cs", Attributes)]);
        var yaml = GeneratorHarness.Run([], [new YamlInput("models/warp.fusion.yaml", Yaml)]);

        Assert.Empty(attributes.GeneratorDiagnostics);
        Assert.Empty(yaml.GeneratorDiagnostics);
        Assert.Empty(attributes.CompilationDiagnostics);
        string fromAttributes = attributes.SourceBelowHeader(Hint(attributes, hintName));
        string fromYaml = yaml.SourceBelowHeader(Hint(yaml, hintName));
        Assert.True(fromAttributes == fromYaml, Snapshot.Diff(fromAttributes, fromYaml));
        Assert.Contains("Loss.Dtw(output.AudioSteps, output.VisionSteps, 0f, global::Fusion.Runtime.Losses.DtwCost.Cosine, output.AudioStepsLengths, output.VisionStepsLengths)", fromYaml);
        Assert.Contains("AudioStepsLengths = batch.AudioLengths,", fromYaml);
    }

    /// <summary>The single generated source's hint name (the test names the one it expects, for the message).</summary>
    private static string Hint(GeneratorRun run, string expected)
    {
        var names = run.Result.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.True(names.Count == 1, $"expected one generated source like '{expected}', got [{string.Join(", ", names)}]");
        return names[0];
    }
}
