using Fusion.Runtime.Optim;

namespace Fusion.Runtime.Tests;

/// <summary>SGD, Adam and AdamW against hand-computed updates; groups; gradient clipping.</summary>
public class OptimizerTests
{
    // 20 equal elements: 16 go through the Vector512 loop, 4 through the scalar tail; all must agree.
    private const int N = 20;

    private static Tensor Param(float value = 1f) => Tensor.Full(value, N).SetRequiresGrad();

    private static void SetGrad(Tensor p, float g) => p.Grad = Tensor.Full(g, N);

    private static void AssertAll(Tensor p, double expected, double tolerance = 1e-6)
    {
        foreach (var v in p.ToArray()) Assert.Equal(expected, v, tolerance);
    }

    /// <summary>Two steps from p = 1 with gradients 0.5 then -0.25, lr 0.1, betas (0.9, 0.999), eps 1e-8.</summary>
    private static void TwoSteps(Optimizer opt, Tensor p, double afterFirst, double afterSecond)
    {
        SetGrad(p, 0.5f);
        opt.Step();
        AssertAll(p, afterFirst);
        SetGrad(p, -0.25f);
        opt.Step();
        AssertAll(p, afterSecond);
    }

    [Fact]
    public void AdamTwoStepsWithL2WeightDecay()
    {
        // wd 0.1 is added to the gradient.
        // t=1: g = 0.5 + 0.1*1 = 0.6; m = 0.06; v = 0.001*0.36 = 3.6e-4; bc1 = 0.1, bc2 = 0.001
        //      denom = sqrt(3.6e-4)/sqrt(0.001) + 1e-8 = 0.6 + 1e-8; p = 1 - (0.1/0.1) * 0.06/0.6 = 0.9
        // t=2: g = -0.25 + 0.1*0.9 = -0.16; m = 0.054 - 0.016 = 0.038; v = 0.999*3.6e-4 + 0.001*0.0256 = 3.8524e-4
        //      bc1 = 0.19, bc2 = 0.001999; denom = sqrt(3.8524e-4/0.001999) = 0.438995;
        //      p = 0.9 - (0.1/0.19) * 0.038/0.438995 = 0.854441
        var p = Param();
        TwoSteps(new Adam([p], learningRate: 0.1f, weightDecay: 0.1f), p, 0.9, 0.8544414);
    }

    [Fact]
    public void AdamWTwoStepsWithDecoupledDecay()
    {
        // p *= 1 - lr*wd = 0.99 first, then Adam on the raw gradient.
        // t=1: p = 0.99; m = 0.05; v = 2.5e-4; denom = 0.5; p = 0.99 - 1.0*0.05/0.5 = 0.89
        // t=2: p = 0.89*0.99 = 0.8811; m = 0.045 - 0.025 = 0.02; v = 0.999*2.5e-4 + 0.001*0.0625 = 3.1225e-4
        //      denom = sqrt(3.1225e-4/0.001999) = 0.395225; p = 0.8811 - (0.1/0.19)*0.02/0.395225 = 0.854466
        var p = Param();
        TwoSteps(new AdamW([p], learningRate: 0.1f, weightDecay: 0.1f), p, 0.89, 0.8544663);
    }

    [Fact]
    public void SgdMomentumTwoSteps()
    {
        // t=1: buf = d = 0.5; p = 1 - 0.1*0.5 = 0.95. t=2: buf = 0.9*0.5 - 0.25 = 0.2; p = 0.95 - 0.02 = 0.93.
        var p = Param();
        TwoSteps(new Sgd([p], 0.1f, momentum: 0.9f), p, 0.95, 0.93);
    }

    [Fact]
    public void SgdNesterovTwoSteps()
    {
        // t=1: buf = 0.5; d = 0.5 + 0.9*0.5 = 0.95; p = 1 - 0.095 = 0.905.
        // t=2: buf = 0.45 - 0.25 = 0.2; d = -0.25 + 0.9*0.2 = -0.07; p = 0.905 + 0.007 = 0.912.
        var p = Param();
        TwoSteps(new Sgd([p], 0.1f, momentum: 0.9f, nesterov: true), p, 0.905, 0.912);
    }

    [Fact]
    public void SgdWeightDecayAndDampening()
    {
        // wd 0.1, momentum 0.9, dampening 0.5. t=1: d = 0.5 + 0.1 = 0.6; buf = 0.6 (no dampening on the first step); p = 0.94.
        // t=2: d = -0.25 + 0.094 = -0.156; buf = 0.9*0.6 + 0.5*(-0.156) = 0.462; p = 0.94 - 0.0462 = 0.8938.
        var p = Param();
        TwoSteps(new Sgd([p], 0.1f, momentum: 0.9f, dampening: 0.5f, weightDecay: 0.1f), p, 0.94, 0.8938);
    }

    [Fact]
    public void StepDoesNotModifyTheGradient()
    {
        var p = Param();
        var opt = new Sgd([p], 0.1f, momentum: 0.9f, weightDecay: 0.5f);
        SetGrad(p, 0.5f);
        opt.Step();
        AssertAll(p.Grad!, 0.5);
    }

    [Fact]
    public void ParamGroupsHaveTheirOwnLearningRateAndDecay()
    {
        var a = Param();
        var b = Param();
        var opt = new Sgd([new ParamGroup([a]), new ParamGroup([b], learningRate: 0.01f, weightDecay: 1f)], 0.1f);
        Assert.Equal(0.1f, opt.ParamGroups[0].LearningRate);
        Assert.Equal(0f, opt.ParamGroups[0].WeightDecay);
        SetGrad(a, 1f);
        SetGrad(b, 1f);
        opt.Step();
        AssertAll(a, 0.9);
        AssertAll(b, 1 - 0.01 * (1 + 1));
        Assert.Throws<ArgumentException>(() => new Adam([new ParamGroup([a]), new ParamGroup([a])]));
    }

    [Fact]
    public void ParametersWithoutGradientAreSkippedAndZeroGradReleases()
    {
        var a = Param();
        var b = Param();
        var opt = new Adam([a, b], learningRate: 0.1f);
        SetGrad(a, 1f);
        opt.Step();
        AssertAll(b, 1);
        Assert.Equal(1, opt.StepCount(0));
        Assert.Equal(0, opt.StepCount(1));
        opt.ZeroGrad();
        Assert.Null(a.Grad);
    }

    [Fact]
    public void StepAndZeroGradAllocateNothing()
    {
        var ps = new[] { Tensor.Randn(new RandomSource(1), 64, 33).SetRequiresGrad(), Tensor.Randn(new RandomSource(2), 7).SetRequiresGrad() };
        foreach (var p in ps) p.Grad = Tensor.OnesLike(p);
        foreach (Optimizer opt in new Optimizer[] { new AdamW(ps), new Adam(ps, weightDecay: 0.1f), new Sgd(ps, 0.1f, momentum: 0.9f, nesterov: true) })
        {
            opt.Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                opt.Step();
                opt.ZeroGrad(setToNone: false);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void ClipGradNormScalesToMaxNormAndReturnsTheTotal()
    {
        var a = Tensor.Zeros(2).SetRequiresGrad();
        var b = Tensor.Zeros(1).SetRequiresGrad();
        var c = Tensor.Zeros(1).SetRequiresGrad(); // no gradient: ignored
        a.Grad = Tensor.FromArray([3f, 0f]);
        b.Grad = Tensor.FromArray([4f]);
        float norm = GradientClipping.ClipGradNorm([a, b, c], 1f);
        Assert.Equal(5f, norm, 1e-6f);
        double coef = 1.0 / (5 + 1e-6);
        Assert.Equal(3 * coef, a.Grad[0], 1e-7);
        Assert.Equal(4 * coef, b.Grad[0], 1e-7);
        // Below the maximum nothing changes.
        Assert.Equal(1f, GradientClipping.ClipGradNorm([a, b], 10f), 1e-5f);
        Assert.Equal(3 * coef, a.Grad[0], 1e-7);
    }
}
