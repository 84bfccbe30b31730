using Fusion.Runtime.Nn;
using Fusion.Runtime.Optim;

namespace Fusion.Runtime.Tests;

/// <summary>Modules, optimiser, schedule and clipping together: a small regression is learned, reproducibly.</summary>
public class TrainingLoopTests
{
    private static (float First, float Last, float[] Weights) Train(MlpNorm norm, ulong seed)
    {
        var data = new RandomSource(100);
        var x = Tensor.Randn(data, 64, 4);
        // Target with an interaction between inputs: x0 * x1 + sin(x2).
        var y = Tensor.Empty(64, 1);
        for (int i = 0; i < 64; i++) y.AsSpan()[i] = x[i, 0] * x[i, 1] + MathF.Sin(x[i, 2]);

        var model = new Mlp(4, [32], 1, new RandomSource(seed), activation: Activation.Gelu, dropout: 0.05f, norm: norm);
        var opt = new AdamW(model.Parameters(), learningRate: 1e-2f);
        var schedule = new CosineAnnealing(opt, tMax: 300);
        float first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            using var scope = Tensor.NewScope();
            var diff = model.Forward(x) - y;
            var loss = (diff * diff).Mean();
            opt.ZeroGrad();
            loss.Backward();
            GradientClipping.ClipGradNorm(model.Parameters(), 5f);
            opt.Step();
            schedule.Step();
            if (step == 0) first = loss.Item();
            last = loss.Item();
        }
        model.Eval();
        using (Tensor.NoGrad())
        {
            var diff = model.Forward(x) - y;
            last = (diff * diff).Mean().Item();
        }
        return (first, last, model.Parameters().SelectMany(p => p.ToArray()).ToArray());
    }

    [Theory]
    [InlineData(MlpNorm.None)]
    [InlineData(MlpNorm.Layer)]
    [InlineData(MlpNorm.Batch)]
    public void MlpLearnsAndRunsAreBitIdentical(MlpNorm norm)
    {
        var a = Train(norm, 7);
        Assert.True(a.Last < 0.1f * a.First, $"loss went from {a.First} to {a.Last} (eval mode)");
        var b = Train(norm, 7);
        Assert.Equal(a.Weights.Select(BitConverter.SingleToInt32Bits), b.Weights.Select(BitConverter.SingleToInt32Bits));
    }
}
