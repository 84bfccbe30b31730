using Fusion.Runtime.Nn;
using Fusion.Runtime.Operators;

namespace Fusion.Runtime.Tests;

/// <summary>
/// Finite-difference gradient checks of CBMF's modules (methods.md section 1): the context vectors
/// with their shared MLP, every combine (with padded tokens), and the whole Deep Fusion Encoder with
/// respect to its inputs, its context and every parameter; padded steps receive no gradient.
/// </summary>
public class CbmfGradientTests
{
    private const int P = 4;

    /// <summary>1 at the padded steps of samples of lengths 3 and 2 over 3 steps: <c>[2, 3, 1]</c>.</summary>
    private static Tensor Padded() => Tensor.FromArray([0f, 0f, 0f, 0f, 0f, 1f], 2, 3, 1);

    [Fact]
    public void ContextVectors_through_the_shared_mlp()
    {
        var context = new ContextVectors(["image", "text", "audio"], 3, 0.5f, [5, 6], P, new RandomSource(3));   // seed 1 puts a ReLU input at 1e-4, a kink within the finite-difference step
        Assert.Equal(["vectors.image", "vectors.text", "vectors.audio", "mlp.layers.0.weight", "mlp.layers.0.bias", "mlp.layers.1.weight",
            "mlp.layers.1.bias", "mlp.layers.2.weight", "mlp.layers.2.bias", "mlp.norm.weight", "mlp.norm.bias"], context.StateDict().Keys);
        GradientChecker.Check(_ => Tensor.Stack(context.Forward(), 0), context.Parameters().ToArray());
    }

    [Theory]
    [InlineData(ContextCombineMode.Add, true)]
    [InlineData(ContextCombineMode.Multiply, true)]
    [InlineData(ContextCombineMode.Concat, true)]
    [InlineData(ContextCombineMode.AdditiveAttention, true)]
    [InlineData(ContextCombineMode.AdditiveAttention, false)]
    [InlineData(ContextCombineMode.GeneralAttention, true)]
    [InlineData(ContextCombineMode.DotAttention, true)]
    public void ContextCombine_with_padded_tokens(ContextCombineMode mode, bool tanh)
    {
        var combine = new ContextCombine(P, mode, new RandomSource(2), tanh);
        var padded = Padded();
        GradientChecker.Check(x => combine.Forward(x[0], x[1], padded), GradientChecker.WithParameters(GradientChecker.Inputs(3, [2, 3, P], [P]), combine));
    }

    [Theory]
    [InlineData(ContextCombineMode.Add, PoolMode.Mean)]
    [InlineData(ContextCombineMode.Concat, PoolMode.First)]
    [InlineData(ContextCombineMode.AdditiveAttention, PoolMode.Max)]
    [InlineData(ContextCombineMode.GeneralAttention, PoolMode.Mean)]
    [InlineData(ContextCombineMode.DotAttention, PoolMode.Min)]
    public void DeepFusionEncoder_over_a_sequence_and_a_vector(ContextCombineMode mode, PoolMode pool)
    {
        var encoder = new DeepFusionEncoder(P, mode, layers: 1, heads: 2, feedForward: 6, dropout: 0.1f, pool, new RandomSource(3));
        encoder.Eval();
        var lengths = LongTensor.FromArray(new long[] { 3, 2 }, 2);
        GradientChecker.Check(
            x => Tensor.Stack(encoder.Forward([x[0], x[1]], [lengths, null], [x[2], x[3]]), 0),
            GradientChecker.WithParameters(GradientChecker.Inputs(4, [2, 3, P], [2, P], [P], [P]), encoder));
    }

    [Theory]
    [InlineData(ContextCombineMode.Concat)]
    [InlineData(ContextCombineMode.AdditiveAttention)]
    [InlineData(ContextCombineMode.GeneralAttention)]
    public void Padded_steps_receive_no_gradient(ContextCombineMode mode)
    {
        var encoder = new DeepFusionEncoder(P, mode, layers: 1, heads: 2, feedForward: 6, dropout: 0.1f, PoolMode.Mean, new RandomSource(5));
        encoder.Eval();
        var x = Tensor.Randn(new RandomSource(6), 2, 3, P);
        x.RequiresGrad = true;
        var k = Tensor.Randn(new RandomSource(7), P);
        encoder.Forward(x, LongTensor.FromArray(new long[] { 3, 1 }, 2), k).Sum().Backward();
        var grad = x.Grad!.ToArray();
        for (int t = 1; t < 3; t++)
        {
            for (int j = 0; j < P; j++)
            {
                Assert.Equal(0f, grad[(3 + t) * P + j]);
            }
        }

        Assert.Contains(grad.Take(3 * P), g => g != 0f);
    }
}
