using Fusion.Runtime.Losses;
using Fusion.Runtime.Operators;

namespace Fusion.Runtime.Tests;

/// <summary>
/// MISA's shared/private fusion and its loss terms (methods.md section 4): state-dict layout,
/// finite-difference gradients of the fused vector and of L_sim, L_diff and L_rec with respect to
/// the inputs and every parameter, and how the terms combine pairs.
/// </summary>
public class SharedPrivateFusionTests
{
    private static readonly InputWidth[] TwoInputs = [new("a", 2), new("b", 3)];

    private static SharedPrivateFusion Fusion(ulong seed)
    {
        var fusion = new SharedPrivateFusion(TwoInputs, hidden: 4, heads: 2, dropout: 0.1f, new RandomSource(seed));
        fusion.Eval();
        return fusion;
    }

    [Fact]
    public void State_dict_keys_and_shapes_follow_the_spec_layout()
    {
        var keys = Fusion(1).StateDict().Select(p => $"{p.Key} [{string.Join(", ", p.Value.Shape.ToArray())}]").ToArray();
        string[] expected =
        [
            "project.a.weight [4, 2]", "project.a.bias [4]", "project.b.weight [4, 3]", "project.b.bias [4]",
            "project_norm.a.weight [4]", "project_norm.a.bias [4]", "project_norm.b.weight [4]", "project_norm.b.bias [4]",
            "private.a.weight [4, 4]", "private.b.weight [4, 4]", "shared.weight [4, 4]",
            "reconstruct.a.weight [4, 4]", "reconstruct.b.weight [4, 4]",
        ];
        Assert.Equal(expected, keys.Take(expected.Length));
        Assert.All(keys.Skip(expected.Length), k => Assert.StartsWith("encoder.layers.0.", k, StringComparison.Ordinal));
        Assert.Contains("encoder.layers.0.linear1.weight [4, 4]", keys);
    }

    [Fact]
    public void Fused_vector_is_the_encoded_private_then_shared_tokens()
    {
        var fusion = Fusion(2);
        var x = GradientChecker.Inputs(3, [3, 2], [3, 3]);
        var result = fusion.Forward(x);
        Assert.Equal(new[] { 3, 2 * 2 * 4 }, result.Fused.Shape.ToArray());
        Assert.All(result.Private.Concat(result.Shared).Concat(result.Projected).Concat(result.Reconstructed), t => Assert.Equal(new[] { 3, 4 }, t.Shape.ToArray()));
        Assert.All(result.Private.Concat(result.Shared).SelectMany(t => t.ToArray()), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Fused_vector_gradients()
    {
        var fusion = Fusion(4);
        var read = fusion.NamedParameters().Where(p => !p.Name.StartsWith("reconstruct.", StringComparison.Ordinal)).Select(p => p.Parameter);
        GradientChecker.Check(x => fusion.Forward([x[0], x[1]]).Fused, GradientChecker.Inputs(5, [3, 2], [3, 3]).Concat(read).ToArray());
    }

    [Fact]
    public void Loss_terms_through_the_operator_gradients()
    {
        var fusion = Fusion(6);
        var x = GradientChecker.Inputs(7, [4, 2], [4, 3]);

        // each term with the inputs and the parameters it reads (the encoder feeds none of them)
        Tensor[] Reading(params string[] prefixes) =>
            x.Concat(fusion.NamedParameters().Where(p => prefixes.Any(q => p.Name.StartsWith(q, StringComparison.Ordinal))).Select(p => p.Parameter)).ToArray();
        GradientChecker.Check(t => fusion.Forward([t[0], t[1]]).SimilarityLoss(3), Reading("project", "shared"));
        GradientChecker.Check(t => fusion.Forward([t[0], t[1]]).DifferenceLoss(), Reading("project", "private", "shared"));
        GradientChecker.Check(t => fusion.Forward([t[0], t[1]]).ReconstructionLoss(), Reading("project", "private", "shared", "reconstruct"));
    }

    [Fact]
    public void MisaSimilarity_gradients() => GradientChecker.Check(x => Loss.MisaSimilarity([x[0], x[1], x[2]], moments: 4), [5, 3], [5, 3], [5, 3]);

    [Fact]
    public void MisaDifference_gradients() =>
        GradientChecker.Check(x => Loss.MisaDifference([x[0], x[1], x[2]], [x[3], x[4], x[5]]), [4, 3], [4, 3], [4, 3], [4, 3], [4, 3], [4, 3]);

    [Fact]
    public void MisaReconstruction_gradients() => GradientChecker.Check(x => Loss.MisaReconstruction([x[0], x[1]], [x[2], x[3]]), [3, 2], [3, 2], [3, 2], [3, 2]);

    [Fact]
    public void Terms_combine_the_pairs_of_methods_md()
    {
        var t = GradientChecker.Inputs(8, [4, 3], [4, 3], [4, 3], [4, 3], [4, 3], [4, 3]);
        double similarity = (Loss.Cmd(t[0], t[1]).Item() + Loss.Cmd(t[0], t[2]).Item() + Loss.Cmd(t[1], t[2]).Item()) / 3;
        Assert.Equal(similarity, Loss.MisaSimilarity([t[0], t[1], t[2]]).Item(), 5);

        // (p_m, s_m) for every m, then (p_i, p_j) for i < j
        double difference = Loss.DiffLoss(t[0], t[3]).Item() + Loss.DiffLoss(t[1], t[4]).Item() + Loss.DiffLoss(t[2], t[5]).Item()
            + Loss.DiffLoss(t[0], t[1]).Item() + Loss.DiffLoss(t[0], t[2]).Item() + Loss.DiffLoss(t[1], t[2]).Item();
        Assert.Equal(difference, Loss.MisaDifference([t[0], t[1], t[2]], [t[3], t[4], t[5]]).Item(), 5);

        double reconstruction = (Loss.Mse(t[0], t[2]).Item() + Loss.Mse(t[1], t[3]).Item()) / 2;
        Assert.Equal(reconstruction, Loss.MisaReconstruction([t[0], t[1]], [t[2], t[3]]).Item(), 5);

        Assert.Equal(0f, Loss.MisaSimilarity([t[0]]).Item());
    }
}
