using System.Text.RegularExpressions;

namespace Fusion.Spec.Tests;

/// <summary>The examples in docs/spec-language.md check as the text around them says.</summary>
public class LanguageReferenceTests
{
    private static readonly string Reference = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "spec-language.md"));

    private static IEnumerable<string> YamlBlocks() =>
        Regex.Matches(Reference, "```yaml\n(.*?)```", RegexOptions.Singleline).Cast<Match>().Select(m => m.Groups[1].Value);

    [Fact]
    public void TheCompleteExampleChecksCleanWithTheWidthItsCommentGives()
    {
        var spec = SpecText.Valid(YamlBlocks().First());

        Assert.Equal("Tfn", spec.Model);
        Assert.Equal("[9537]", spec.FindNode("tfn")!.Output!.ToString()); // the comment: [33 * 17 * 17] = [9537]
        Assert.True(spec.FindModality("vision")!.Optional);
    }

    [Fact]
    public void TheContextAndTrainingExamplesCheckInsideACbmfSpec()
    {
        var blocks = YamlBlocks().ToList();
        string context = blocks.Single(b => b.StartsWith("context:", StringComparison.Ordinal));
        string training = blocks.Single(b => b.StartsWith("training:", StringComparison.Ordinal));

        var spec = SpecText.Valid($$"""
            model: Cbmf
            modalities:
              image: { shape: [512] }
              text: { shape: [77, 512] }
            encoders:
              image_p: { op: projection, input: image }
              text_p: { op: projection, input: text }
            fusion:
              dfe: { op: cbmf, inputs: [image_p, text_p] }
            heads:
              image_z: { type: embedding, input: dfe.image_p, dim: 64 }
              text_z: { type: embedding, input: dfe.text_p, dim: 64 }
            losses:
              - { type: contrastive, between: [image_z, text_z] }
            {{context}}
            {{training}}
            """);

        Assert.Equal(256, spec.Context!.Out);
        Assert.Equal(4, spec.Training.LrGroups.Count);
        Assert.Equal(Ir.ScheduleType.Plateau, spec.Training.Schedule.Type);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fusion.Dsl.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("no Fusion.Dsl.sln above " + AppContext.BaseDirectory);
    }
}
