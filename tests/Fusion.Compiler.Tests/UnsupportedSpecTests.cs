using Fusion.Compiler.Emit;
using Fusion.Spec;
using Fusion.Spec.Diagnostics;

namespace Fusion.Compiler.Tests;

/// <summary>
/// What the spec language accepts but the runtime cannot run is FUS200 at its location, never a
/// silently incomplete module: modality dropout over token ids.
/// </summary>
public class UnsupportedSpecTests
{
    [Fact]
    public void Modality_dropout_over_tokens_is_FUS200_at_the_node()
    {
        const string yaml = """
            model: M
            modalities:
              words: { kind: tokens, shape: [6], vocab: 20 }
              audio: { shape: [4] }
            fusion:
              drop: { op: modality_dropout, inputs: [words, audio], p: 0.2 }
              words_h: { op: embedding, input: drop.words, dim: 4 }
              words_p: { op: pool, input: words_h, mode: mean }
              joint: { op: concat, inputs: [words_p, drop.audio] }
            heads:
              y: { type: regressor, input: joint }
            losses:
              - { type: mse, head: y }
            """;
        var result = Emit(yaml);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Null(result.Source);
        Assert.Equal("FUS200", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("m.yaml:6:3", diagnostic.Location.ToString());
        Assert.Contains("op 'modality_dropout' (node 'drop') is not supported by the code generator yet", diagnostic.Message);
    }

    [Fact]
    public void A_sequence_loss_reads_its_sides_lengths_through_the_output()
    {
        const string yaml = """
            model: M
            modalities:
              a: { shape: [-1, 4] }
              b: { shape: [-1, 6] }
            encoders:
              a_h: { op: linear, input: a, out: 5 }
              b_h: { op: linear, input: b, out: 5 }
              a_p: { op: pool, input: a_h }
            heads:
              y: { type: regressor, input: a_p }
            losses:
              - { type: mse, head: y }
              - { type: sinkhorn, name: align, between: [a_h, b_h] }
            """;
        var result = Emit(yaml);
        Assert.Empty(result.Diagnostics);
        Assert.Contains("AHLengths = batch.ALengths,", result.Source);
        Assert.Contains("BHLengths = batch.BLengths,", result.Source);
        Assert.Contains("Sinkhorn(output.AH, output.BH, 0.1f, 50, logDomain: true, output.AHLengths, output.BHLengths)", result.Source);
    }

    private static EmitResult Emit(string yaml)
    {
        var spec = SpecReader.Parse(yaml, "m.yaml");
        Assert.False(spec.HasErrors, string.Join("\n", spec.Diagnostics));
        return ModuleEmitter.Emit(spec.Spec!);
    }
}
