using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Tests;

/// <summary>Module registration, state dicts, modes, Linear initialisation and the built-in layers.</summary>
public class ModuleTests
{
    private sealed class Block : Module<Tensor, Tensor>
    {
        public Block(RandomSource rng)
        {
            Fc = RegisterModule("fc", new Linear(3, 4, rng));
            Norm = RegisterModule("norm", new BatchNorm1d(4));
            Scale = RegisterParameter("scale", Tensor.Ones(1));
            RegisterBuffer("table", Tensor.Zeros(2));
        }

        public Linear Fc { get; }
        public BatchNorm1d Norm { get; }
        public Tensor Scale { get; }

        public override Tensor Forward(Tensor input) => Norm.Forward(Fc.Forward(input)) * Scale;
    }

    [Fact]
    public void StateDictKeysFollowPyTorchOrder()
    {
        var m = new Block(new RandomSource(1));
        Assert.Equal(["scale", "table", "fc.weight", "fc.bias", "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked"],
            m.StateDict().Keys);
        Assert.Equal(["scale", "fc.weight", "fc.bias", "norm.weight", "norm.bias"], m.NamedParameters().Select(p => p.Name));
        Assert.Equal(["table", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked"], m.NamedBuffers().Select(b => b.Name));
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad && p.IsLeaf));
        Assert.Empty(m.StateDict()["norm.num_batches_tracked"].Shape.ToArray());
        Assert.Equal(1 + 12 + 4 + 4 + 4, m.ParameterCount());
    }

    [Fact]
    public void MlpKeysMatchTheSpecLanguage()
    {
        var mlp = new Mlp(10, [8, 6], 2, new RandomSource(1), norm: MlpNorm.Batch, dropout: 0.1f);
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias",
            "norms.0.weight", "norms.0.bias", "norms.0.running_mean", "norms.0.running_var", "norms.0.num_batches_tracked",
            "norms.1.weight", "norms.1.bias", "norms.1.running_mean", "norms.1.running_var", "norms.1.num_batches_tracked"], mlp.StateDict().Keys);
        Assert.Equal([6, 8], mlp.StateDict()["layers.1.weight"].Shape.ToArray());
        var y = mlp.Forward(Tensor.Randn(new RandomSource(2), 5, 10));
        Assert.Equal([5, 2], y.Shape.ToArray());
        var seq = mlp.Forward(Tensor.Randn(new RandomSource(2), 3, 4, 10)); // batch norm over flattened leading dims
        Assert.Equal([3, 4, 2], seq.Shape.ToArray());
        var layerMlp = new Mlp(4, [3], 1, new RandomSource(1), norm: MlpNorm.Layer);
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "norms.0.weight", "norms.0.bias"], layerMlp.StateDict().Keys);
    }

    [Fact]
    public void MlpComputesLinearNormActivationInOrder()
    {
        var rng = new RandomSource(3);
        var mlp = new Mlp(4, [5], 3, rng, activation: Activation.Tanh, norm: MlpNorm.Layer);
        var x = Tensor.Randn(new RandomSource(4), 2, 4);
        var l0 = mlp.Layers[0];
        var l1 = mlp.Layers[1];
        var expected = l1.Forward(l0.Forward(x).LayerNorm(Tensor.Ones(5), Tensor.Zeros(5)).Tanh());
        Assert.Equal(expected.ToArray(), mlp.Forward(x).ToArray());
    }

    [Fact]
    public void SequentialKeysAreIndices()
    {
        var rng = new RandomSource(1);
        var s = new Sequential(new Linear(2, 3, rng), new LayerNorm(3), new Dropout(0.5f, rng), new Linear(3, 1, rng, bias: false));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "3.weight"], s.StateDict().Keys);
        Assert.Equal([4, 1], s.Forward(Tensor.Ones(4, 2)).Shape.ToArray());
    }

    [Fact]
    public void TrainAndEvalAreRecursive()
    {
        var m = new Block(new RandomSource(1));
        Assert.True(m.IsTraining && m.Norm.IsTraining);
        m.Eval();
        Assert.False(m.IsTraining || m.Norm.IsTraining || m.Fc.IsTraining);
        m.Train();
        Assert.True(m.Norm.IsTraining);
    }

    [Fact]
    public void LinearInitBoundsAndDeterminism()
    {
        var a = new Linear(400, 50, new RandomSource(7));
        var b = new Linear(400, 50, new RandomSource(7));
        float bound = 1f / MathF.Sqrt(400);
        var w = a.Weight.ToArray();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.All(a.Bias!.ToArray(), v => Assert.InRange(v, -bound, bound));
        // Uniform on [-b, b]: the extremes are approached and the variance is b^2 / 3.
        Assert.True(w.Max() > 0.99f * bound && w.Min() < -0.99f * bound);
        double variance = w.Select(v => (double)v * v).Average();
        Assert.Equal(bound * bound / 3.0, variance, 0.05 * bound * bound / 3.0);
        // Same seed, same bits.
        Assert.Equal(w.Select(BitConverter.SingleToInt32Bits), b.Weight.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(a.Bias.ToArray(), b.Bias!.ToArray());
        Assert.NotEqual(w, new Linear(400, 50, new RandomSource(8)).Weight.ToArray());
        Assert.Null(new Linear(3, 2, new RandomSource(1), bias: false).Bias);
    }

    [Fact]
    public void InitHelpersHaveTheirDocumentedScales()
    {
        var rng = new RandomSource(5);
        var t = Tensor.Empty(300, 200);
        double xavierBound = Math.Sqrt(6.0 / 500);
        Init.XavierUniform(t, rng);
        Assert.All(t.ToArray(), v => Assert.InRange(v, -xavierBound, xavierBound));
        Init.XavierNormal(t, rng, gain: 2);
        Assert.Equal(4 * 2.0 / 500, t.ToArray().Select(v => (double)v * v).Average(), 4 * 2.0 / 500 * 0.03);
        Init.KaimingUniform(t, rng); // a = 0: bound sqrt(6 / fan_in)
        Assert.Equal(6.0 / 200 / 3, t.ToArray().Select(v => (double)v * v).Average(), 6.0 / 200 / 3 * 0.03);
        Assert.Equal(1f, Init.Ones(t)[3, 4]);
        Assert.Equal(0f, Init.Zeros(t)[3, 4]);
        Assert.Equal((200, 300), Init.Fans(t));
        Assert.Equal((3 * 5, 4 * 5), Init.Fans(Tensor.Empty(4, 3, 5)));
    }

    [Fact]
    public void LinearMatchesMatMulPlusBiasWithGradients()
    {
        var lin = new Linear(5, 3, new RandomSource(2));
        var x = Tensor.Randn(new RandomSource(3), 2, 4, 5);
        var reference = Tensor.MatMul(x, lin.Weight.T()) + lin.Bias!;
        Assert.Equal(reference.ToArray(), lin.Forward(x).ToArray(), (a, b) => MathF.Abs(a - b) < 1e-5f);
        GradientChecker.Check(t => Tensor.Linear(t[0], t[1], t[2]), [2, 4, 5], [3, 5], [3]);
        GradientChecker.Check(t => Tensor.Linear(t[0], t[1]), [3, 5], [2, 5]);
    }

    [Fact]
    public void LinearWeightGradientAccumulatesIntoExistingGradient()
    {
        var lin = new Linear(3, 2, new RandomSource(2));
        var x = Tensor.Randn(new RandomSource(3), 4, 3);
        lin.Forward(x).Sum().Backward();
        var once = lin.Weight.Grad!.ToArray();
        lin.Forward(x).Sum().Backward();
        Assert.Equal(once.Select(v => 2 * v), lin.Weight.Grad!.ToArray(), (a, b) => MathF.Abs(a - b) < 1e-5f);
        lin.ZeroGrad();
        Assert.Null(lin.Weight.Grad);
    }

    [Fact]
    public void BatchNorm1dCountsBatchesAndSwitchesToRunningStatsInEval()
    {
        var bn = new BatchNorm1d(2);
        var x = Tensor.FromArray([1f, 5f, 3f, 7f], 2, 2);
        bn.Forward(x);
        bn.Forward(x);
        Assert.Equal(2f, bn.NumBatchesTracked.Item());
        // running_mean after two updates towards (2, 6): 0.19 * batch mean.
        Assert.Equal(0.19f * 2f, bn.RunningMean[0], 1e-6f);
        bn.Eval();
        var y = bn.Forward(x);
        Assert.Equal(2f, bn.NumBatchesTracked.Item());
        float rv = bn.RunningVar[0];
        Assert.Equal((1 - 0.38) / Math.Sqrt(rv + 1e-5), y[0, 0], 1e-5);
        var cumulative = new BatchNorm1d(1, momentum: null);
        cumulative.Forward(Tensor.FromArray([1f, 3f], 2, 1));
        cumulative.Forward(Tensor.FromArray([5f, 7f], 2, 1));
        Assert.Equal(4f, cumulative.RunningMean[0], 1e-6f); // average of the batch means 2 and 6
    }

    [Fact]
    public void DropoutModuleFollowsMode()
    {
        var d = new Dropout(0.5f, new RandomSource(1));
        var x = Tensor.Ones(64);
        Assert.Contains(0f, d.Forward(x).ToArray());
        d.Eval();
        Assert.Same(x, d.Forward(x));
    }

    [Fact]
    public void EmbeddingModuleZeroesThePaddingRow()
    {
        var e = new Embedding(6, 3, new RandomSource(1), paddingIndex: -1);
        Assert.Equal(5, e.PaddingIndex);
        Assert.Equal([0f, 0f, 0f], e.Forward(LongTensor.FromArray([5])).ToArray());
        Assert.NotEqual(0f, e.Forward(LongTensor.FromArray([2]))[0, 0]);
    }

    [Fact]
    public void LoadStateDictCopiesValuesAndRoundTrips()
    {
        var a = new Block(new RandomSource(1));
        var b = new Block(new RandomSource(2));
        b.LoadStateDict(a.StateDict());
        foreach (var (key, t) in a.StateDict()) Assert.Equal(t.ToArray(), b.StateDict()[key].ToArray());
        Assert.NotSame(a.Fc.Weight, b.Fc.Weight);
    }

    [Fact]
    public void LoadStateDictReportsEveryProblemAtOnce()
    {
        var m = new Block(new RandomSource(1));
        var dict = new Dictionary<string, Tensor>(m.StateDict());
        dict.Remove("fc.bias");
        dict.Remove("norm.running_var");
        dict["fc.weight"] = Tensor.Zeros(4, 2);
        dict["scale"] = Tensor.Zeros(2);
        dict["extra.weight"] = Tensor.Zeros(1);
        dict["fc.bias_typo"] = Tensor.Zeros(4);
        var before = m.Fc.Weight.ToArray();
        var e = Assert.Throws<StateDictMismatchException>(() => m.LoadStateDict(dict));
        Assert.Equal(["fc.bias", "norm.running_var"], e.MissingKeys);
        Assert.Equal(["extra.weight", "fc.bias_typo"], e.UnexpectedKeys.Order());
        Assert.Equal(["scale", "fc.weight"], e.ShapeMismatches.Select(s => s.Key));
        foreach (var s in new[] { "\"fc.bias\"", "\"norm.running_var\"", "\"extra.weight\"", "\"fc.bias_typo\"",
                     "size mismatch for fc.weight: copying a param with shape [4, 2] from checkpoint, the shape in current model is [4, 3]",
                     "size mismatch for scale: copying a param with shape [2] from checkpoint, the shape in current model is [1]" })
            Assert.Contains(s, e.Message);
        Assert.Equal(before, m.Fc.Weight.ToArray()); // nothing copied

        // Non-strict: missing and unexpected keys are tolerated, shape mismatches are not.
        var e2 = Assert.Throws<StateDictMismatchException>(() => m.LoadStateDict(dict, strict: false));
        Assert.Empty(e2.MissingKeys);
        Assert.Equal(2, e2.ShapeMismatches.Count);
        dict.Remove("fc.weight");
        dict.Remove("scale");
        m.LoadStateDict(dict, strict: false);
    }

    [Fact]
    public void RegistrationRejectsDuplicatesAndDots()
    {
        Assert.Throws<ArgumentException>(() => new BadModule("a.b"));
        Assert.Throws<ArgumentException>(() => new BadModule("x", duplicate: true));
    }

    private sealed class BadModule : Module
    {
        public BadModule(string name, bool duplicate = false)
        {
            RegisterParameter(name, Tensor.Zeros(1));
            if (duplicate) RegisterBuffer(name, Tensor.Zeros(1));
        }
    }

    [Fact]
    public void ParametersSurviveTheScopeTheyWereCreatedIn()
    {
        Linear lin;
        using (Tensor.NewScope()) lin = new Linear(2, 2, new RandomSource(1));
        Assert.False(lin.Weight.IsDisposed);
        Assert.Equal(4, lin.Weight.ToArray().Length);
    }
}
