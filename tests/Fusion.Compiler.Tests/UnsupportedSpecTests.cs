using Fusion.Compiler.Emit;
using Fusion.Spec;
using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Compiler.Tests;

/// <summary>What the runtime cannot run yet is FUS200 at its location, never a silently incomplete module.</summary>
public class UnsupportedSpecTests
{
    [Theory]
    [MemberData(nameof(TestModels.Unsupported), MemberType = typeof(TestModels))]
    public void Every_unsupported_op_and_loss_is_FUS200_at_its_location(string file)
    {
        var spec = SpecFiles.Load(file);
        var result = ModuleEmitter.Emit(spec);
        Assert.Null(result.Source);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d =>
        {
            Assert.Equal("FUS200", d.Id);
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            Assert.Equal(spec.SourcePath, d.Location.File);
        });

        var expected = new List<(SourceLocation Location, string Text)>();
        if (spec.Context is { } context)
        {
            expected.Add((context.Location, "context section"));
        }

        expected.AddRange(spec.Nodes.Where(n => !TestModels.IsSupportedOp(n.Op)).Select(n => (n.Location, $"op '{n.Op}' (node '{n.Name}')")));
        expected.AddRange(spec.Losses
            .Where(l => l.Type is LossType.Difference or LossType.Adversarial
                || (l.Node is { } node && !(l.Type == LossType.Reconstruction && spec.FindNode(node)!.Op == "autofusion")))
            .Select(l => (l.Location, $"loss '{l.Name}'")));
        Assert.Equal(expected.Count, result.Diagnostics.Length);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Location, result.Diagnostics[i].Location);
            Assert.Contains(expected[i].Text, result.Diagnostics[i].Message);
            Assert.Contains("not supported by the code generator yet", result.Diagnostics[i].Message);
        }
    }

    [Fact]
    public void Gcn_reports_its_graph_node_at_the_node()
    {
        var result = ModuleEmitter.Emit(SpecFiles.Load("gcn.yaml"));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("FUS200", diagnostic.Id);
        Assert.Equal(24, diagnostic.Location.Line);
        Assert.Equal(3, diagnostic.Location.Column);
        Assert.EndsWith("gcn.yaml:24:3: error FUS200: op 'graph_gcn' (node 'graph') is not supported by the code generator yet", diagnostic.ToString());
    }

    [Fact]
    public void A_misa_reconstruction_loss_is_FUS200_but_an_autofusion_one_is_emitted()
    {
        const string yaml = """
            model: M
            modalities:
              a: { shape: [4] }
              b: { shape: [6] }
            fusion:
              auto: { op: autofusion, inputs: [a, b], latent: 3 }
              misa: { op: misa, inputs: [a, b], hidden: 4, heads: 2 }
            heads:
              y: { type: regressor, input: auto }
            losses:
              - { type: mse, head: y }
              - { type: reconstruction, name: rec_auto, node: auto }
              - { type: reconstruction, name: rec_misa, node: misa }
            """;
        var spec = SpecReader.Parse(yaml, "m.yaml");
        Assert.False(spec.HasErrors, string.Join("\n", spec.Diagnostics));
        var result = ModuleEmitter.Emit(spec.Spec!);
        Assert.Equal(["m.yaml:7:3", "m.yaml:13:5"], result.Diagnostics.Select(d => d.Location.ToString()));
        Assert.Contains("op 'misa'", result.Diagnostics[0].Message);
        Assert.Contains("loss 'rec_misa' (reconstruction on node 'misa')", result.Diagnostics[1].Message);
    }
}
