using Fusion.Runtime.Optim;

namespace Fusion.Runtime.Tests;

/// <summary>Learning-rate schedules against PyTorch's closed forms and ReduceLROnPlateau's rules.</summary>
public class ScheduleTests
{
    private static Sgd Optimizer(float lr = 1f) => new([Tensor.Zeros(1).SetRequiresGrad()], lr);

    private static double[] Run(LrScheduler s, int steps)
    {
        var lrs = new double[steps + 1];
        lrs[0] = s.Optimizer.ParamGroups[0].LearningRate;
        for (int i = 1; i <= steps; i++)
        {
            s.Step();
            lrs[i] = s.Optimizer.ParamGroups[0].LearningRate;
        }
        return lrs;
    }

    [Fact]
    public void StepLRDecaysEveryStepSize() =>
        Assert.Equal([1, 1, 0.5, 0.5, 0.25, 0.25], Run(new StepLR(Optimizer(), 2, 0.5), 5), (a, b) => Math.Abs(a - b) < 1e-7);

    [Fact]
    public void CosineAnnealingFollowsTheHalfCosine()
    {
        var lrs = Run(new CosineAnnealing(Optimizer(), 4, etaMin: 0.1), 4);
        double[] expected = [1, 0.1 + 0.9 * (1 + Math.Sqrt(0.5)) / 2, 0.55, 0.1 + 0.9 * (1 - Math.Sqrt(0.5)) / 2, 0.1];
        Assert.Equal(expected, lrs, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void LinearWarmupRisesThenStays()
    {
        var lrs = Run(new LinearWarmup(Optimizer(0.5f), 4, startFactor: 0.2), 6);
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.5], lrs, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void SchedulesScaleEachGroupFromItsOwnInitialRate()
    {
        var opt = new Sgd([new ParamGroup([Tensor.Zeros(1).SetRequiresGrad()]), new ParamGroup([Tensor.Zeros(1).SetRequiresGrad()], learningRate: 0.1f)], 1f);
        var s = new StepLR(opt, 1, 0.5);
        s.Step();
        Assert.Equal([0.5f, 0.05f], s.LastLearningRates());
    }

    [Fact]
    public void ReduceLROnPlateauSequence()
    {
        // patience 2, factor 0.5, threshold 0.1 (rel): improvement means metric < best * 0.9; min lr 0.3.
        var opt = Optimizer();
        var s = new ReduceLROnPlateau(opt, factor: 0.5, patience: 2, threshold: 0.1, minLearningRate: 0.3);
        double[] metrics = [10, 9.5, 9.2, 9.1, 8, 8, 8, 8, 8, 8, 8, 8];
        // 10: best. 9.5: not < 9 -> bad 1. 9.2: bad 2. 9.1: bad 3 > 2 -> lr 0.5, bad 0.
        // 8 (< 9): best 8. 8: bad 1, 8: bad 2, 8: bad 3 -> lr 0.3 (0.25 floored at min). 8, 8, 8: bad 3 -> 0.3 stays.
        double[] expected = [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3];
        var got = new double[metrics.Length];
        for (int i = 0; i < metrics.Length; i++)
        {
            s.Step(metrics[i]);
            got[i] = opt.ParamGroups[0].LearningRate;
        }
        Assert.Equal(expected, got, (a, b) => Math.Abs(a - b) < 1e-7);
        Assert.Equal(8, s.Best);
    }

    [Fact]
    public void ReduceLROnPlateauCooldownIgnoresBadEpochs()
    {
        var opt = Optimizer();
        var s = new ReduceLROnPlateau(opt, factor: 0.1, patience: 0, cooldown: 2);
        Assert.False(s.Step(1));
        Assert.True(s.Step(1));  // bad 1 > 0: reduce to 0.1, cooldown 2
        Assert.False(s.Step(1)); // cooldown
        Assert.False(s.Step(1)); // cooldown
        Assert.True(s.Step(1));  // reduce to 0.01
        Assert.Equal(0.01f, opt.ParamGroups[0].LearningRate, 1e-8f);
    }

    [Fact]
    public void ResumedSchedulesContinueWhereTheyStopped()
    {
        var a = new CosineAnnealing(Optimizer(), 10);
        var lrs = Run(a, 7);
        var b = new CosineAnnealing(Optimizer(), 10);
        b.Resume(4);
        Assert.Equal(lrs[4], b.Optimizer.ParamGroups[0].LearningRate, 1e-7);
        b.Step();
        Assert.Equal(5, b.Epoch);
        Assert.Equal(lrs[5], b.Optimizer.ParamGroups[0].LearningRate, 1e-7);

        var p = new ReduceLROnPlateau(Optimizer(), patience: 1);
        p.Step(5);
        p.Step(6);
        var q = new ReduceLROnPlateau(Optimizer(), patience: 1);
        q.Resume(p.Best, p.BadEpochs, p.CooldownLeft);
        Assert.True(q.Step(6)); // second bad epoch in a row: reduce, as p would
        Assert.True(p.Step(6));
    }
}
