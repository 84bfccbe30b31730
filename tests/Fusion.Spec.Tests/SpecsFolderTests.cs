using Fusion.Spec;

namespace Fusion.Spec.Tests;

/// <summary>Every spec shipped in specs/ checks clean and says where it comes from.</summary>
public class SpecsFolderTests
{
    /// <summary>One spec per method of methods.md; the names are part of the project's contract.</summary>
    public static readonly string[] ExpectedSpecs =
    [
        "cbmf.yaml", "cbmf-multiply.yaml", "cbmf-concat.yaml", "cbmf-additive-attention.yaml",
        "cbmf-general-attention.yaml", "cbmf-dot-attention.yaml", "early.yaml", "late.yaml",
        "weighted.yaml", "gmu.yaml", "tfn.yaml", "lmf.yaml", "mcb.yaml", "film.yaml", "mult.yaml",
        "self-attention.yaml", "co-attention.yaml", "gcn.yaml", "gat.yaml", "autofusion.yaml",
        "ganfusion.yaml", "misa.yaml", "modality-dropout.yaml", "dcca.yaml", "sinkhorn.yaml", "dtw.yaml",
        "dynamic-gate.yaml",
    ];

    private static readonly string SpecsFolder = Path.Combine(FindRepoRoot(), "specs");

    public static TheoryData<string> SpecFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(SpecsFolder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add(file!);
        }

        return data;
    }

    [Fact]
    public void EveryExpectedSpecExists()
    {
        var missing = ExpectedSpecs.Where(name => !File.Exists(Path.Combine(SpecsFolder, name))).ToList();

        Assert.True(missing.Count == 0, "missing from specs/: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheFolderHoldsAtLeastTheExpectedSpecs()
    {
        Assert.True(SpecFiles().Count >= ExpectedSpecs.Length);
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void SpecChecksWithoutErrors(string fileName)
    {
        var result = SpecReader.ReadFile(Path.Combine(SpecsFolder, fileName));

        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 0, fileName + ":\n" + string.Join("\n", errors));
        Assert.NotNull(result.Spec);
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void SpecStartsWithACommentHeaderNamingItsPaper(string fileName)
    {
        var lines = File.ReadAllLines(Path.Combine(SpecsFolder, fileName));
        var header = lines.TakeWhile(line => line.StartsWith('#')).ToList();

        Assert.True(header.Count >= 2, $"{fileName}: the file must begin with a comment header (method, paper)");
        Assert.Contains(header, line => line.StartsWith("# Paper:", StringComparison.Ordinal));
        Assert.Contains(header, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"\b(19|20)\d\d\b"));
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fusion.Dsl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Fusion.Dsl.sln not found above {AppContext.BaseDirectory}");
    }
}
