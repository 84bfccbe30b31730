using Fusion.Runtime.Nn;
using Fusion.Runtime.Operators;

namespace Fusion.Runtime.Tests;

/// <summary>
/// The attention fusion operators (<see cref="CrossModalAttention"/>, <see cref="SelfAttentionFusion"/>,
/// <see cref="CoAttention"/>): finite-difference gradients with respect to inputs and parameters (eval mode,
/// non-trivial weights, padded sequences and vector inputs), output shapes, and that steps beyond the
/// lengths change no output that a valid step owns.
/// </summary>
public class AttentionFusionGradientTests
{
    private static LongTensor Lengths(params long[] lengths) => LongTensor.FromArray(lengths, lengths.Length);

    private static CrossModalAttention NewCrossModal(ulong seed)
    {
        InputWidth[] widths = [new("target", 3), new("vector", 2), new("sequence", 2)];
        var op = AttentionTesting.Randomize(new CrossModalAttention(widths, width: 4, heads: 2, layers: 2, dropout: 0.1f, new RandomSource(seed)), seed + 1);
        op.Eval();
        return op;
    }

    [Fact]
    public void CrossModalAttention_gradients_with_a_vector_source_and_padded_sequences()
    {
        var op = NewCrossModal(1);
        LongTensor?[] lengths = [Lengths(3, 2), null, Lengths(4, 1)];
        var inputs = GradientChecker.Inputs(2, [2, 3, 3], [2, 2], [2, 4, 2]);
        GradientChecker.Check(x => op.Forward([x[0], x[1], x[2]], lengths), GradientChecker.WithParameters(inputs, op));
    }

    [Fact]
    public void CrossModalAttention_output_is_the_targets_steps_by_sources_times_width_and_a_vector_target_is_one_step()
    {
        var op = NewCrossModal(3);
        var sequences = op.Forward(GradientChecker.Inputs(4, [2, 3, 3], [2, 2], [2, 5, 2]));
        Assert.Equal(new[] { 2, 3, 8 }, sequences.Shape.ToArray());

        InputWidth[] widths = [new("target", 3), new("source", 2)];
        var vectorTarget = new CrossModalAttention(widths, width: 4, heads: 2, layers: 1, dropout: 0f, new RandomSource(5));
        Assert.Equal(new[] { 2, 1, 4 }, vectorTarget.Forward(GradientChecker.Inputs(6, [2, 3], [2, 6, 2])).Shape.ToArray());
    }

    [Fact]
    public void CrossModalAttention_padded_steps_change_no_valid_output()
    {
        var op = NewCrossModal(7);
        LongTensor?[] lengths = [Lengths(3, 2), null, Lengths(4, 1)];
        var inputs = GradientChecker.Inputs(8, [2, 3, 3], [2, 2], [2, 4, 2]);
        var before = op.Forward(inputs, lengths).ToArray();
        Garble(inputs[0], lengths[0]!);
        Garble(inputs[2], lengths[2]!);
        var after = op.Forward(inputs, lengths).ToArray();
        // sample 0: every target step valid; sample 1: target steps 0 and 1 (8 features each, 3 steps per sample)
        int[] valid = [.. Enumerable.Range(0, 24), .. Enumerable.Range(24, 16)];
        foreach (int i in valid) Assert.Equal(before[i], after[i]);
        Assert.Contains(Enumerable.Range(40, 8), i => before[i] != after[i]);     // the padded target step itself did change
    }

    [Theory]
    [InlineData(SelfAttentionPool.Mean)]
    [InlineData(SelfAttentionPool.First)]
    [InlineData(SelfAttentionPool.Flatten)]
    public void SelfAttentionFusion_gradients(SelfAttentionPool pool)
    {
        InputWidth[] widths = [new("a", 3), new("b", 2), new("c", 4)];
        var op = AttentionTesting.Randomize(new SelfAttentionFusion(widths, width: 4, heads: 2, layers: 2, feedForward: 6, dropout: 0.1f, pool, new RandomSource(9)), 10);
        op.Eval();
        var inputs = GradientChecker.Inputs(11, [2, 3], [2, 2], [2, 4]);
        Assert.Equal(new[] { 2, pool == SelfAttentionPool.Flatten ? 12 : 4 }, op.Forward(inputs).Shape.ToArray());
        GradientChecker.Check(x => op.Forward([x[0], x[1], x[2]]), GradientChecker.WithParameters(inputs, op));
    }

    [Theory]
    [InlineData(PoolMode.Mean)]
    [InlineData(PoolMode.Max)]
    [InlineData(PoolMode.Min)]
    [InlineData(PoolMode.First)]
    [InlineData(PoolMode.Last)]
    public void CoAttention_gradients_with_padded_sequences(PoolMode pool)
    {
        var op = NewCoAttention(pool, 12);
        LongTensor?[] lengths = [Lengths(3, 1), Lengths(2, 4)];
        var inputs = GradientChecker.Inputs(13, [2, 3, 3], [2, 4, 2]);
        Assert.Equal(new[] { 2, 8 }, op.Forward(inputs, lengths).Shape.ToArray());
        GradientChecker.Check(x => op.Forward([x[0], x[1]], lengths), GradientChecker.WithParameters(inputs, op));
    }

    [Fact]
    public void CoAttention_gradients_with_a_vector_input()
    {
        var op = NewCoAttention(PoolMode.Mean, 14);
        LongTensor?[] lengths = [null, Lengths(2, 4)];
        GradientChecker.Check(x => op.Forward([x[0], x[1]], lengths), GradientChecker.WithParameters(GradientChecker.Inputs(15, [2, 3], [2, 4, 2]), op));
    }

    [Fact]
    public void CoAttention_padded_steps_change_no_output()
    {
        var op = NewCoAttention(PoolMode.Mean, 16);
        LongTensor?[] lengths = [Lengths(3, 1), Lengths(2, 4)];
        var inputs = GradientChecker.Inputs(17, [2, 3, 3], [2, 4, 2]);
        var before = op.Forward(inputs, lengths).ToArray();
        Garble(inputs[0], lengths[0]!);
        Garble(inputs[1], lengths[1]!);
        Assert.Equal(before, op.Forward(inputs, lengths).ToArray());
    }

    private static CoAttention NewCoAttention(PoolMode pool, ulong seed)
    {
        InputWidth[] widths = [new("a", 3), new("b", 2)];
        var op = AttentionTesting.Randomize(new CoAttention(widths, width: 4, heads: 2, dropout: 0.1f, pool, new RandomSource(seed)), seed + 100);
        op.Eval();
        return op;
    }

    /// <summary>Overwrites every step of <paramref name="x"/> <c>[B, N, d]</c> beyond each sample's length with large values.</summary>
    private static void Garble(Tensor x, LongTensor lengths)
    {
        int steps = x.Size(1), width = x.Size(2);
        var span = x.AsSpan();
        var lens = lengths.ToArray();
        for (int b = 0; b < lens.Length; b++)
            for (int t = (int)lens[b]; t < steps; t++)
                for (int j = 0; j < width; j++) span[((b * steps) + t) * width + j] = 50f + (7 * t) + j;
    }
}
