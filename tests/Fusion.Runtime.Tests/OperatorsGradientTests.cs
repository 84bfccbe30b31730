using Fusion.Runtime.Nn;
using Fusion.Runtime.Operators;

namespace Fusion.Runtime.Tests;

/// <summary>
/// Finite-difference gradient checks of the fusion operators, with respect to their inputs and
/// their parameters (the parameters are passed to the checker as extra inputs: it perturbs them in place).
/// </summary>
public class OperatorsGradientTests
{
    private static InputWidth[] Widths(params int[] widths) => widths.Select((w, i) => new InputWidth("in" + i, w)).ToArray();

    [Fact]
    public void ProjectionHead()
    {
        var head = new ProjectionHead(3, 4, 0.1f, new RandomSource(1));
        head.Eval();
        GradientChecker.Check(x => head.Forward(x[0]), GradientChecker.WithParameters(GradientChecker.Inputs(2, [2, 3, 3]), head));
    }

    [Theory]
    [InlineData(PoolMode.Mean)]
    [InlineData(PoolMode.Max)]
    [InlineData(PoolMode.Min)]
    [InlineData(PoolMode.First)]
    [InlineData(PoolMode.Last)]
    public void SequencePool_with_lengths(PoolMode mode)
    {
        var pool = new SequencePool(mode);
        var lengths = LongTensor.FromArray(new long[] { 4, 1, 2 }, 3);
        GradientChecker.Check(x => pool.Forward(x[0], lengths), GradientChecker.Inputs(3, [3, 4, 2]));
    }

    [Theory]
    [InlineData(LateCombine.Mean)]
    [InlineData(LateCombine.Weighted)]
    [InlineData(LateCombine.Vote)]
    public void LateFusion(LateCombine combine)
    {
        var late = new LateFusion(Widths(2, 3), 3, combine, new RandomSource(4));
        if (combine == LateCombine.Weighted)
        {
            using var _ = Tensor.NoGrad();
            late.Parameters().First().CopyFrom(Tensor.FromArray([0.3f, -0.6f], 2));
        }

        GradientChecker.Check(x => late.Forward([x[0], x[1]]), GradientChecker.WithParameters(GradientChecker.Inputs(5, [2, 2], [2, 3]), late));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WeightedSum(bool softmax)
    {
        var sum = new WeightedSum(3, softmax);
        GradientChecker.Check(x => sum.Forward([x[0], x[1], x[2]]), GradientChecker.WithParameters(GradientChecker.Inputs(6, [2, 4], [2, 4], [2, 4]), sum));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void GatedMultimodalUnit(int inputs)
    {
        var widths = Widths(Enumerable.Range(2, inputs).ToArray());
        var gmu = new GatedMultimodalUnit(widths, 3, new RandomSource(7));
        var xs = GradientChecker.Inputs(8, widths.Select(w => new[] { 2, w.Width }).ToArray());
        GradientChecker.Check(x => gmu.Forward(x.Take(inputs).ToArray()), GradientChecker.WithParameters(xs, gmu));
    }

    [Fact]
    public void DynamicGate()
    {
        var gate = new DynamicGate(Widths(2, 3, 1), 2, new RandomSource(9));
        GradientChecker.Check(x => gate.Forward([x[0], x[1], x[2]]), GradientChecker.WithParameters(GradientChecker.Inputs(10, [2, 2], [2, 3], [2, 1]), gate));
    }

    [Fact]
    public void TensorFusion()
    {
        var tfn = new TensorFusion();
        GradientChecker.Check(x => tfn.Forward([x[0], x[1], x[2]]), [2, 2], [2, 1], [2, 3]);
    }

    [Fact]
    public void LowRankFusion()
    {
        var lmf = new LowRankFusion(Widths(2, 3), 2, 3, new RandomSource(11));
        GradientChecker.Check(x => lmf.Forward([x[0], x[1]]), GradientChecker.WithParameters(GradientChecker.Inputs(12, [2, 2], [2, 3]), lmf));
    }

    [Fact]
    public void CompactBilinearPooling_with_l2_normalisation()
    {
        var mcb = new CompactBilinearPooling(Widths(3, 4), 6, signedSqrt: false, l2Normalize: true, seed: 2);
        GradientChecker.Check(x => mcb.Forward([x[0], x[1]]), [2, 3], [2, 4]);
    }

    [Fact]
    public void CountSketch()
    {
        int[] index = [2, 0, 2, 1];
        float[] sign = [1f, -1f, -1f, 1f];
        GradientChecker.Check(x => Operators.CountSketch.Apply(x[0], index, sign, 3), [2, 4]);
    }

    [Fact]
    public void Film_on_a_sequence()
    {
        var film = new Film(3, 2, new RandomSource(13));
        GradientChecker.Check(x => film.Forward(x[0], x[1]), GradientChecker.WithParameters(GradientChecker.Inputs(14, [2, 4, 3], [2, 2]), film));
    }

    [Fact]
    public void AutoFusion_latent_and_reconstruction()
    {
        var auto = new AutoFusion(4, 2, new RandomSource(15));
        var encoder = auto.NamedParameters().Where(p => p.Name.StartsWith("encoder", StringComparison.Ordinal)).Select(p => p.Parameter);
        GradientChecker.Check(x => auto.Forward([x[0], x[1]]).Latent, GradientChecker.Inputs(16, [3, 1], [3, 3]).Concat(encoder).ToArray());
        GradientChecker.Check(x => auto.Forward([x[0], x[1]]).ReconstructionLoss(), GradientChecker.WithParameters(GradientChecker.Inputs(17, [3, 1], [3, 3]), auto));
    }

    [Fact]
    public void ModalityDropout_in_evaluation_passes_gradients_through()
    {
        var dropout = new ModalityDropout(2, 0.5f, new RandomSource(18));
        dropout.Eval();
        GradientChecker.Check(x => Tensor.Concat(-1, dropout.Forward([x[0], x[1]])), [2, 2], [2, 3]);
    }

    [Fact]
    public void ContrastiveScale()
    {
        var scale = new ContrastiveScale(0.5f, 100f);
        GradientChecker.Check(x => scale.Loss(x[0], x[1]), GradientChecker.WithParameters(GradientChecker.Inputs(19, [3, 2], [3, 2]), scale));
    }
}
