using Fusion.Runtime.Data;
using Fusion.Runtime.Losses;
using Fusion.Runtime.Metrics;
using Fusion.Runtime.Nn;
using Fusion.Runtime.Optim;
using Xunit.Abstractions;

namespace Fusion.Runtime.Tests;

/// <summary>
/// The generator's promise, checked by training small models from the runtime's own modules:
/// the targets need the modalities together (all beats each alone), and they are multiplicative
/// interactions (tensor fusion beats concatenation).
/// </summary>
public sealed class SyntheticDataPromiseTests(ITestOutputHelper output)
{
    private const int Classes = 3;

    [Fact]
    public void AllModalitiesBeatEverySingleModality()
    {
        ModalityDescriptor[] modalities =
        [
            new("a", [16], ModalityKind.Vector),
            new("b", [16], ModalityKind.Vector),
            new("c", [16], ModalityKind.Vector),
        ];
        var data = SyntheticData.Generate(modalities, [new TargetDescriptor("y", TargetKind.Classification, Classes)],
            new SyntheticOptions { Samples = 2400, Latent = 4, Noise = 0.1, Seed = 1 });
        var parts = data.Split([0.75, 0.25], new RandomSource(2));

        double all = TrainMlp(parts, ["a", "b", "c"]);
        output.WriteLine($"all modalities: held-out accuracy {all:F3}");
        foreach (var m in modalities)
        {
            double single = TrainMlp(parts, [m.Name]);
            output.WriteLine($"{m.Name} alone: held-out accuracy {single:F3}");
            Assert.True(all > single + 0.15, $"all modalities {all:F3} should beat {m.Name} alone {single:F3} by more than 0.15");
        }
    }

    [Fact]
    public void TensorFusionBeatsConcatenation()
    {
        ModalityDescriptor[] modalities = [new("a", [12], ModalityKind.Vector), new("b", [12], ModalityKind.Vector)];
        var data = SyntheticData.Generate(modalities, [new TargetDescriptor("y", TargetKind.Classification, 2)],
            new SyntheticOptions { Samples = 2000, Latent = 4, Noise = 0.1, Seed = 3 });
        var parts = data.Split([0.75, 0.25], new RandomSource(4));

        double tensor = TrainFusion(parts, tensorFusion: true);
        double concat = TrainFusion(parts, tensorFusion: false);
        output.WriteLine($"tensor fusion: {tensor:F3}, concatenation: {concat:F3}");
        Assert.True(tensor > concat + 0.15, $"tensor fusion {tensor:F3} should beat concatenation {concat:F3} by more than 0.15");
    }

    /// <summary>An MLP over the concatenated <paramref name="inputs"/>; held-out accuracy.</summary>
    private static double TrainMlp(IReadOnlyList<Dataset> parts, string[] inputs)
    {
        var rng = new RandomSource(7);
        int width = inputs.Sum(n => parts[0][n].RowLength);
        var mlp = new Mlp(width, [64], Classes, rng);
        Tensor Forward(DataBatch batch) => mlp.Forward(inputs.Length == 1 ? batch.Float(inputs[0]) : Tensor.Concat(inputs.Select(batch.Float).ToArray(), 1));
        return Train(parts, mlp.Parameters().ToList(), Forward, epochs: 40);
    }

    /// <summary>
    /// Linear encoders h_a, h_b (8 wide), then either tensor fusion, Linear(vec([1; h_a] ⊗ [1; h_b])),
    /// or concatenation, Linear([h_a; h_b]); held-out accuracy.
    /// </summary>
    private static double TrainFusion(IReadOnlyList<Dataset> parts, bool tensorFusion)
    {
        var rng = new RandomSource(8);
        const int hidden = 8;
        var encodeA = new Linear(12, hidden, rng);
        var encodeB = new Linear(12, hidden, rng);
        var head = new Linear(tensorFusion ? (hidden + 1) * (hidden + 1) : 2 * hidden, 2, rng);
        Tensor Forward(DataBatch batch)
        {
            var ha = encodeA.Forward(batch.Float("a"));
            var hb = encodeB.Forward(batch.Float("b"));
            if (!tensorFusion) return head.Forward(Tensor.Concat(1, ha, hb));
            var ones = Tensor.Ones(batch.Size, 1);
            var fused = Tensor.Outer(Tensor.Concat(1, ones, ha), Tensor.Concat(1, ones, hb)).Reshape(batch.Size, -1);
            return head.Forward(fused);
        }
        var parameters = encodeA.Parameters().Concat(encodeB.Parameters()).Concat(head.Parameters()).ToList();
        return Train(parts, parameters, Forward, epochs: 40);
    }

    private static double Train(IReadOnlyList<Dataset> parts, List<Tensor> parameters, Func<DataBatch, Tensor> forward, int epochs)
    {
        var optimizer = new Adam(parameters, learningRate: 3e-3f);
        using (var train = new DataLoader(parts[0], 64, shuffle: true, random: new RandomSource(9)))
            for (int epoch = 0; epoch < epochs; epoch++)
                foreach (var batch in train.Epoch())
                {
                    using var step = Tensor.NewScope();
                    optimizer.ZeroGrad();
                    Loss.CrossEntropy(forward(batch), batch.Long("y")).Backward();
                    optimizer.Step();
                }
        var metrics = MetricSet.For(HeadKind.Classifier);
        using (Tensor.NoGrad())
        using (var test = new DataLoader(parts[1], 256))
            foreach (var batch in test.Epoch())
            {
                using var scope = Tensor.NewScope();
                metrics.Add(forward(batch), batch.Long("y"));
            }
        return metrics.Compute()["accuracy"];
    }
}
