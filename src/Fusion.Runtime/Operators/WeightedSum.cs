using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Weighted sum (methods.md section 2), the spec's <c>weighted</c> op: <c>sum_m a_m x_m</c> over M
/// inputs of one width, with learnable <c>weights [M]</c>; <c>a = softmax(weights)</c> (weights start
/// at zero: the mean) or, without normalisation, <c>a = weights</c> (starting at 1/M: the mean).
/// </summary>
public sealed class WeightedSum : Module
{
    public WeightedSum(int inputs, bool softmax)
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "WeightedSum needs at least one input.");
        Softmax = softmax;
        Weights = RegisterParameter("weights", softmax ? Tensor.Zeros(inputs) : Tensor.Full(1f / inputs, inputs));
    }

    public bool Softmax { get; }

    public Tensor Weights { get; }

    public Tensor Forward(IReadOnlyList<Tensor> xs)
    {
        OperatorChecks.Count(nameof(WeightedSum), xs, Weights.Size(0));
        var a = Softmax ? Weights.Softmax(0) : Weights;
        var shape = new int[xs[0].Rank + 1];
        Array.Fill(shape, 1);
        shape[0] = xs.Count;
        return (Tensor.Stack(xs, 0) * a.Reshape(shape)).Sum(0);
    }
}
