using Fusion.Runtime.Data;

namespace Fusion.Compiler.Tests.References;

/// <summary>
/// The head losses against PyTorch's documented formulas: <c>cross_entropy</c> with label smoothing
/// <c>(1 - e) NLL + e mean_c(-log p_c)</c>, <c>bce</c> with <c>pos_weight</c>
/// <c>-(w y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))</c>, <c>l1</c> and <c>mse</c>, each the mean over
/// the batch (and outputs), the total their weighted sum; the heads' hidden layers with ReLU between.
/// </summary>
public sealed class HeadLossReferenceTests
{
    [Fact]
    public void Every_head_loss_and_the_weighted_total()
    {
        const string yaml = """
            model: TinyHeads
            modalities:
              x: { shape: [3] }
            heads:
              label: { type: classifier, input: x, classes: 3, hidden: [4] }
              tags:  { type: multilabel, input: x, labels: 2 }
              score: { type: regressor, input: x, outputs: 2 }
              level: { type: regressor, input: x, outputs: 1 }
            losses:
              - { type: cross_entropy, head: label, label_smoothing: 0.2 }
              - { type: bce, head: tags, pos_weight: 2.5, weight: 0.5 }
              - { type: l1, head: score, weight: 2 }
              - { type: mse, head: level, weight: 0.25 }
            """;
        var model = ReferenceModel.Compile(yaml);
        var x = ReferenceModel.FixedVectors(4, 3, salt: 1);
        long[] labels = [2, 0, 1, 2];
        double[][] tags = [[1, 0], [0, 0], [1, 1], [0, 1]];
        var score = ReferenceModel.FixedVectors(4, 2, salt: 2);
        var level = ReferenceModel.FixedVectors(4, 1, salt: 3);
        var (_, loss) = model.ForwardAndLoss(
            ReferenceModel.Vectors("x", x),
            DataColumn.FromLongs("label", labels, []),
            ReferenceModel.Vectors("tags", tags),
            ReferenceModel.Vectors("score", score),
            ReferenceModel.Vectors("level", level));

        double[] Head(string name, double[] input, bool hidden) => hidden
            ? PlainMath.Linear(PlainMath.Map(PlainMath.Linear(input, model.Get(name + ".layers.0.weight"), model.Get(name + ".layers.0.bias")), PlainMath.Relu),
                model.Get(name + ".layers.1.weight"), model.Get(name + ".layers.1.bias"))
            : PlainMath.Linear(input, model.Get(name + ".layers.0.weight"), model.Get(name + ".layers.0.bias"));

        double crossEntropy = x.Select((row, s) =>
        {
            var logP = PlainMath.Map(PlainMath.Softmax(Head("label", row, hidden: true)), Math.Log);
            return 0.8 * -logP[labels[s]] + 0.2 * -logP.Average();
        }).Average();
        double bce = x.SelectMany((row, s) => Head("tags", row, hidden: false).Select((logit, j) =>
            -(2.5 * tags[s][j] * Math.Log(PlainMath.Sigmoid(logit)) + (1 - tags[s][j]) * Math.Log(1 - PlainMath.Sigmoid(logit))))).Average();
        double l1 = x.SelectMany((row, s) => Head("score", row, hidden: false).Select((p, j) => Math.Abs(p - score[s][j]))).Average();
        double mse = x.Select((row, s) => Math.Pow(Head("level", row, hidden: false)[0] - level[s][0], 2)).Average();

        Assert.Equal(crossEntropy, loss["cross_entropy"].Item(), 1e-5);
        Assert.Equal(bce, loss["bce"].Item(), 1e-5);
        Assert.Equal(l1, loss["l1"].Item(), 1e-5);
        Assert.Equal(mse, loss["mse"].Item(), 1e-5);
        Assert.Equal(crossEntropy + 0.5 * bce + 2 * l1 + 0.25 * mse, loss.Total.Item(), 1e-5);
    }
}
