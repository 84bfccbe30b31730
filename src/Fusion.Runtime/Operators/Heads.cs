using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// A spec head (classifier, regressor, multilabel or embedding) is an <see cref="Mlp"/>: its hidden
/// Linear layers with ReLU and dropout between, then the output Linear of width classes, outputs,
/// labels or dim, without a final activation (logits). Keys <c>layers.i.weight</c>, <c>layers.i.bias</c>.
/// </summary>
public static class Heads
{
    public static Mlp Create(int inFeatures, IReadOnlyList<int> hidden, int outFeatures, float dropout, RandomSource generator) =>
        new(inFeatures, hidden, outFeatures, generator, Activation.Relu, dropout);
}
