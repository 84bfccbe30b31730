using Fusion.Runtime.Nn;
using Fusion.Runtime.Optim;

namespace Fusion.Runtime.Tests;

/// <summary>Optimiser state dicts: keys, strictness, and a resumed run equal bit for bit to an uninterrupted one.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("fusion-resume-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly Tensor X = Tensor.Randn(new RandomSource(50), 16, 5).DetachFromScope();
    private static readonly Tensor Y = Tensor.Randn(new RandomSource(51), 16, 2).DetachFromScope();

    private static void TrainSteps(Mlp model, Optimizer opt, int steps)
    {
        for (int i = 0; i < steps; i++)
            using (Tensor.NewScope())
            {
                var diff = model.Forward(X) - Y;
                var loss = (diff * diff).Mean();
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
            }
    }

    private static Mlp Model() => new(5, [6], 2, new RandomSource(3), norm: MlpNorm.Batch);

    private static Optimizer[] Optimizers(Mlp m) =>
    [
        new AdamW(m.Parameters(), learningRate: 0.01f),
        new Sgd([new ParamGroup(m.Parameters().Take(2)), new ParamGroup(m.Parameters().Skip(2), learningRate: 0.05f)], 0.1f, momentum: 0.9f, nesterov: true),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ResumedTrainingMatchesUninterruptedTraining(int which)
    {
        var straight = Model();
        TrainSteps(straight, Optimizers(straight)[which], 5);

        var first = Model();
        var opt1 = Optimizers(first)[which];
        TrainSteps(first, opt1, 3);
        string path = Path.Combine(dir, "resume.safetensors");
        var merged = first.StateDict().Select(kv => KeyValuePair.Create("model." + kv.Key, kv.Value))
            .Concat(opt1.StateDict().Select(kv => KeyValuePair.Create("optimizer." + kv.Key, kv.Value)));
        ModuleCheckpoint.Save(path, merged);

        var second = Model();
        var opt2 = Optimizers(second)[which];
        var all = ModuleCheckpoint.ReadStateDict(path, out _);
        second.LoadStateDict(all.Where(kv => kv.Key.StartsWith("model.")).ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value));
        opt2.LoadStateDict(all.Where(kv => kv.Key.StartsWith("optimizer.")).ToDictionary(kv => kv.Key["optimizer.".Length..], kv => kv.Value));
        TrainSteps(second, opt2, 2);

        foreach (var (key, t) in straight.StateDict())
            Assert.Equal(t.ToArray().Select(BitConverter.SingleToInt32Bits), second.StateDict()[key].ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void StateDictKeysAndStrictLoading()
    {
        var a = Tensor.Zeros(2, 3).SetRequiresGrad();
        var b = Tensor.Zeros(3).SetRequiresGrad();
        var adam = new Adam([a, b], learningRate: 0.1f);
        Assert.Equal(["param_groups.0.lr", "param_groups.0.initial_lr", "param_groups.0.weight_decay",
            "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.step"], adam.StateDict().Keys);
        Assert.Equal([2, 3], adam.StateDict()["state.0.exp_avg"].Shape.ToArray());

        var other = new Adam([Tensor.Zeros(3, 2).SetRequiresGrad()]);
        var e = Assert.Throws<StateDictMismatchException>(() => other.LoadStateDict(adam.StateDict()));
        Assert.Equal(["state.1.exp_avg", "state.1.exp_avg_sq", "state.1.step"], e.UnexpectedKeys);
        Assert.Equal(["state.0.exp_avg", "state.0.exp_avg_sq"], e.ShapeMismatches.Select(m => m.Key));
        Assert.Throws<StateDictMismatchException>(() => new Sgd([a, b], 0.1f, momentum: 0.9f).LoadStateDict(adam.StateDict()));
    }
}
