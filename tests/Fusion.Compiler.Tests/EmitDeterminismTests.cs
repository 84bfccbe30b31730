using Fusion.Compiler.Emit;
using Fusion.Spec;

namespace Fusion.Compiler.Tests;

/// <summary>The same IR gives the same bytes; only the header depends on the spec's path and text.</summary>
public class EmitDeterminismTests
{
    [Theory]
    [MemberData(nameof(TestModels.Emitting), MemberType = typeof(TestModels))]
    public void Emitting_twice_gives_identical_text(string model)
    {
        var first = TestModels.Emit(model).Source;
        var second = TestModels.Emit(model).Source;
        Assert.NotNull(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_text_does_not_depend_on_the_current_culture()
    {
        var invariant = TestModels.Emit("coverage:sequences").Source;
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("fr-FR");
            Assert.Equal(invariant, TestModels.Emit("coverage:sequences").Source);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Only_the_header_depends_on_the_path_and_the_locations()
    {
        string yaml = CoverageSpecs.Sequences;
        string moved = "# the same model, declared elsewhere and laid out differently\n\n" + yaml.Replace(": { ", ":   { ");
        var a = ModuleEmitter.Emit(SpecReader.Parse(yaml, "specs/one.yaml").Spec!).Source!;
        var b = ModuleEmitter.Emit(SpecReader.Parse(moved, "elsewhere/two.fusion.yaml").Spec!).Source!;
        Assert.NotEqual(a, b);
        Assert.Contains("// Fusion.Dsl: generated from specs/one.yaml (sha256 ", a);
        Assert.Equal(Body(a), Body(b));
    }

    [Fact]
    public void The_source_uses_newlines_and_four_space_indentation_only()
    {
        var source = TestModels.Emit("coverage:vectors").Source!;
        Assert.DoesNotContain("\r", source);
        Assert.DoesNotContain("\t", source);
        Assert.EndsWith("}\n", source);
        Assert.All(source.Split('\n'), line => Assert.Equal(0, (line.Length - line.TrimStart(' ').Length) % 4));
    }

    [Fact]
    public void Forward_has_one_statement_per_node_and_head_in_ir_order()
    {
        var spec = TestModels.Load("coverage:vectors");
        var source = TestModels.Emit("coverage:vectors").Source!;
        int start = source.IndexOf("public Output Forward(Batch batch)", StringComparison.Ordinal);
        int end = source.IndexOf("return new Output", start, StringComparison.Ordinal);
        var statements = source.Substring(start, end - start).Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("var ", StringComparison.Ordinal)).ToList();
        var expected = spec.Modalities.Select(m => m.Name).Concat(spec.Nodes.Select(n => n.Name)).Concat(spec.Heads.Select(h => h.Name));
        Assert.Equal(expected, statements.Select(s => s.Split(' ')[1]));
    }

    private static string Body(string source) => string.Join("\n", source.Split('\n').Skip(2));
}
