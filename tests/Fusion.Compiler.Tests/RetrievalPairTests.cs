using Fusion.Compiler.Emit;
using Fusion.Runtime;
using Fusion.Runtime.Models;
using Fusion.Spec;

namespace Fusion.Compiler.Tests;

/// <summary>
/// The generated descriptor's retrieval pairs: one per pair of embedding heads of one width tied
/// by a <c>between</c> loss, in the order of the losses, each pair once; none for node references
/// or for a cca between unequal widths.
/// </summary>
public sealed class RetrievalPairTests
{
    private const string Pairs = """
        model: RetrievalPairs
        modalities:
          a: { shape: [5] }
          b: { shape: [7] }
        encoders:
          a_h: { op: linear, input: a, out: 6 }
          b_h: { op: linear, input: b, out: 6 }
        heads:
          a_view: { type: embedding, input: a_h, dim: 4 }
          b_view: { type: embedding, input: b_h, dim: 4 }
          b_wide: { type: embedding, input: b_h, dim: 3 }
        losses:
          - { type: cca, between: [a_view, b_wide] }
          - { type: contrastive, between: [b_view, a_view] }
          - { type: cmd, between: [a_view, b_view] }
          - { type: sinkhorn, between: [a_view, b_view] }
          - { type: contrastive, between: [a_h, b_h] }
        """;

    [Fact]
    public void Pairs_come_from_between_losses_on_embedding_heads_of_one_width_each_once()
    {
        var parsed = SpecReader.Parse(Pairs, "retrieval-pairs.yaml");
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
        var emitted = ModuleEmitter.Emit(parsed.Spec!);
        Assert.False(emitted.HasErrors, string.Join("\n", emitted.Diagnostics));
        var compiled = GeneratedCompilation.Compile(emitted.Source!, parsed.Spec!);

        Assert.Equal([new RetrievalPair("b_view", "a_view")], Descriptor(compiled).RetrievalPairs);
    }

    [Fact]
    public void Contrastive_and_cmd_on_the_same_heads_give_one_pair()
    {
        Assert.Equal([new RetrievalPair("za", "zb")], Descriptor(GeneratedCompilation.Of("coverage:sequences")).RetrievalPairs);
    }

    [Fact]
    public void A_model_without_embedding_heads_has_no_pairs()
    {
        var compiled = GeneratedCompilation.Of("coverage:vectors");
        Assert.Empty(Descriptor(compiled).RetrievalPairs);
        Assert.DoesNotContain("RetrievalPairs", compiled.Source, StringComparison.Ordinal);
    }

    private static ModelDescriptor Descriptor(GeneratedCompilation.Compiled compiled)
    {
        Assert.True(compiled.Assembly is not null, string.Join("\n", compiled.Diagnostics));
        var type = compiled.Assembly!.GetTypes().Single(t => t.IsSubclassOf(typeof(FusionModel)));
        return ((FusionModel)Activator.CreateInstance(type, new RandomSource(0))!).Descriptor;
    }
}
