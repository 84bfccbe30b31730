namespace Fusion.Runtime.Tests;

/// <summary>Every differentiable op against central finite differences.</summary>
public class TensorOpsGradientTests
{
    private static readonly int[] S23 = [2, 3];
    private static readonly int[] S3 = [3];

    private static Tensor Positive(ulong seed, params int[] shape) => Tensor.Uniform(new RandomSource(seed), 0.5f, 2f, shape);

    // Arithmetic with broadcasting.
    [Fact] public void Add() => GradientChecker.Check(x => x[0] + x[1], S23, S23);
    [Fact] public void AddBroadcastRow() => GradientChecker.Check(x => x[0] + x[1], [2, 3], S3);
    [Fact] public void AddBroadcastBothWays() => GradientChecker.Check(x => x[0] + x[1], [4, 1], [1, 3]);
    [Fact] public void Sub() => GradientChecker.Check(x => x[0] - x[1], [2, 3, 4], [3, 1]);
    [Fact] public void Mul() => GradientChecker.Check(x => x[0] * x[1], [2, 3, 4], [1, 4]);
    [Fact] public void Div() => GradientChecker.Check(x => x[0] / x[1], [Tensor.Randn(new RandomSource(1), 2, 3), Positive(2, 3)]);
    [Fact] public void ScalarOps() => GradientChecker.Check(x => (2f - x[0] * 3f + 1f) / 4f + 1f / (x[0] + 5f), [2, 3]);
    [Fact] public void Neg() => GradientChecker.Check(x => -x[0], S23);
    [Fact] public void Maximum() => GradientChecker.Check(x => Tensor.Maximum(x[0], x[1]), S23, S23);
    [Fact] public void Minimum() => GradientChecker.Check(x => Tensor.Minimum(x[0], x[1]), S23, [1, 3]);

    // Element-wise functions.
    [Fact] public void Exp() => GradientChecker.Check(x => x[0].Exp(), S23);
    [Fact] public void Log() => GradientChecker.Check(x => x[0].Log(), [Positive(3, 2, 3)]);
    [Fact] public void Sqrt() => GradientChecker.Check(x => x[0].Sqrt(), [Positive(4, 2, 3)]);
    [Fact] public void Pow() => GradientChecker.Check(x => x[0].Pow(1.5f), [Positive(5, 2, 3)]);
    [Fact] public void Square() => GradientChecker.Check(x => x[0].Pow(2f), S23);
    [Fact] public void Reciprocal() => GradientChecker.Check(x => x[0].Reciprocal(), [Positive(6, 2, 3)]);
    [Fact] public void Rsqrt() => GradientChecker.Check(x => x[0].Rsqrt(), [Positive(7, 2, 3)]);
    [Fact] public void Sin() => GradientChecker.Check(x => x[0].Sin(), [2, 3]);
    [Fact] public void Cos() => GradientChecker.Check(x => x[0].Cos(), [2, 3]);
    [Fact] public void Abs() => GradientChecker.Check(x => x[0].Abs(), [Tensor.FromArray([-2f, -0.5f, 0.3f, 1.7f], 4)]);
    [Fact] public void Clamp() => GradientChecker.Check(x => x[0].Clamp(-0.5f, 0.5f), [Tensor.FromArray([-2f, -0.3f, 0.1f, 0.4f, 1.7f], 5)]);
    [Fact] public void Relu() => GradientChecker.Check(x => x[0].Relu(), [Tensor.FromArray([-2f, -0.3f, 0.1f, 0.4f, 1.7f], 5)]);
    [Fact] public void LeakyRelu() => GradientChecker.Check(x => x[0].LeakyRelu(0.2f), [Tensor.FromArray([-2f, -0.3f, 0.1f, 0.4f, 1.7f], 5)]);
    [Fact] public void Gelu() => GradientChecker.Check(x => x[0].Gelu(), [Tensor.Arange(-4f, 4f, 0.37f)]);
    [Fact] public void GeluVectorisedLength() => GradientChecker.Check(x => x[0].Gelu(), [5, 7]);
    [Fact] public void Elu() => GradientChecker.Check(x => x[0].Elu(0.7f), [Tensor.FromArray([-2f, -0.3f, 0.1f, 0.4f, 1.7f], 5)]);
    [Fact] public void Tanh() => GradientChecker.Check(x => x[0].Tanh(), [3, 4]);
    [Fact] public void Sigmoid() => GradientChecker.Check(x => x[0].Sigmoid(), [3, 4]);

    // Softmax family.
    [Fact] public void SoftmaxLastAxis() => GradientChecker.Check(x => x[0].Softmax(-1), [3, 5]);
    [Fact] public void SoftmaxMiddleAxis() => GradientChecker.Check(x => x[0].Softmax(1), [2, 4, 3]);
    [Fact] public void LogSoftmaxLastAxis() => GradientChecker.Check(x => x[0].LogSoftmax(-1), [3, 5]);
    [Fact] public void LogSoftmaxFirstAxis() => GradientChecker.Check(x => x[0].LogSoftmax(0), [4, 3]);

    // Reductions.
    [Fact] public void SumAll() => GradientChecker.Check(x => x[0].Sum(), [2, 3, 4]);
    [Fact] public void SumAxis() => GradientChecker.Check(x => x[0].Sum(1), [2, 3, 4]);
    [Fact] public void SumAxesKeepDim() => GradientChecker.Check(x => x[0].Sum([0, 2], keepDim: true), [2, 3, 4]);
    [Fact] public void MeanAll() => GradientChecker.Check(x => x[0].Mean(), [2, 3, 4]);
    [Fact] public void MeanAxis() => GradientChecker.Check(x => x[0].Mean(-1, keepDim: true), [2, 3, 4]);
    [Fact] public void MaxAxis() => GradientChecker.Check(x => x[0].Max(1), [3, 5]);
    [Fact] public void MaxAll() => GradientChecker.Check(x => x[0].Max(), [3, 5]);
    [Fact] public void MinAxes() => GradientChecker.Check(x => x[0].Min([0, 1]), [3, 2, 4]);
    [Fact] public void LogSumExpAxis() => GradientChecker.Check(x => x[0].LogSumExp(1), [3, 4]);
    [Fact] public void LogSumExpKeepDimFirstAxis() => GradientChecker.Check(x => x[0].LogSumExp(0, keepDim: true), [3, 4]);
    [Fact] public void Std() => GradientChecker.Check(x => x[0].Std(0), [4, 3]);
    [Fact] public void Var() => GradientChecker.Check(x => x[0].Var(1), [3, 5]);

    // Matrix products.
    [Fact] public void MatMul2D() => GradientChecker.Check(x => Tensor.MatMul(x[0], x[1]), [3, 4], [4, 5]);
    [Fact] public void MatMulBatched() => GradientChecker.Check(x => Tensor.MatMul(x[0], x[1]), [2, 3, 4], [2, 4, 5]);
    [Fact] public void MatMulBatchBroadcastRight() => GradientChecker.Check(x => Tensor.MatMul(x[0], x[1]), [2, 3, 4], [4, 5]);
    [Fact] public void MatMulBatchBroadcastLeft() => GradientChecker.Check(x => Tensor.MatMul(x[0], x[1]), [3, 4], [2, 4, 5]);
    [Fact] public void MatMulBatchBroadcastOnes() => GradientChecker.Check(x => Tensor.MatMul(x[0], x[1]), [2, 1, 3, 4], [1, 3, 4, 2]);
    [Fact] public void MatMulTransposedViews() => GradientChecker.Check(x => Tensor.MatMul(x[0].Transpose(0, 1), x[1].Transpose(0, 1)), [4, 3], [5, 4]);
    [Fact] public void MatMulBatchedTransposed() => GradientChecker.Check(x => Tensor.MatMul(x[0], x[1].Transpose(-1, -2)), [2, 3, 4], [2, 5, 4]);
    [Fact] public void MatMulVector() => GradientChecker.Check(x => Tensor.MatMul(x[0], x[1]), [3, 4], [4]);
    [Fact] public void MatMulVectorLeft() => GradientChecker.Check(x => Tensor.MatMul(x[0], x[1]), [4], [4, 2]);
    [Fact] public void Dot() => GradientChecker.Check(x => Tensor.MatMul(x[0], x[1]), [4], [4]);
    [Fact] public void Outer() => GradientChecker.Check(x => Tensor.Outer(x[0], x[1]), [2, 3], [2, 4]);

    // Shape ops (views).
    [Fact] public void Reshape() => GradientChecker.Check(x => x[0].Reshape(3, -1) * x[1], [2, 3, 2], [3, 4]);
    [Fact] public void ReshapeOfTranspose() => GradientChecker.Check(x => x[0].Transpose(0, 1).Reshape(-1) * x[1], [2, 3], [6]);
    [Fact] public void Transpose() => GradientChecker.Check(x => x[0].Transpose(0, 2) * x[1], [2, 3, 4], [4, 3, 2]);
    [Fact] public void Permute() => GradientChecker.Check(x => x[0].Permute(2, 0, 1) * x[1], [2, 3, 4], [4, 2, 3]);
    [Fact] public void SqueezeUnsqueeze() => GradientChecker.Check(x => x[0].Unsqueeze(1).Squeeze(1).Unsqueeze(-1) * x[1], [2, 3], [2, 3, 2]);
    [Fact] public void Slice() => GradientChecker.Check(x => x[0].Slice(1, 1, 5, 2) * 2f, [3, 6]);
    [Fact] public void Select() => GradientChecker.Check(x => x[0].Select(1, -1), [3, 4, 2]);
    [Fact] public void Expand() => GradientChecker.Check(x => x[0].Expand(2, 3, 4) * x[1], [3, 1], [2, 3, 4]);
    [Fact] public void Repeat() => GradientChecker.Check(x => x[0].Repeat(2, 1, 3) * x[1], [2, 2], [2, 2, 6]);
    [Fact] public void Flatten() => GradientChecker.Check(x => x[0].Flatten(1) * x[1], [2, 3, 4], [12]);
    [Fact] public void Contiguous() => GradientChecker.Check(x => x[0].Transpose(0, 1).Contiguous() * x[1], [2, 3], [3, 2]);

    // Joining and indexing.
    [Fact] public void Concat() => GradientChecker.Check(x => Tensor.Concat([x[0], x[1], x[0]], 1) * 1.5f, [2, 3], [2, 2]);
    [Fact] public void Stack() => GradientChecker.Check(x => Tensor.Stack([x[0], x[1]], 1), [2, 3], [2, 3]);
    [Fact] public void Split() => GradientChecker.Check(x =>
    {
        var parts = x[0].Split([1, 3], 1);
        return parts[0] * parts[1];
    }, [2, 4]);
    [Fact] public void Chunk() => GradientChecker.Check(x =>
    {
        var parts = x[0].Chunk(3, 0);
        return parts[0] + parts[1] * parts[2];
    }, [6, 2]);
    [Fact] public void IndexSelect() => GradientChecker.Check(x => x[0].IndexSelect(0, LongTensor.FromArray([2L, 0, 2, 1])), [3, 4]);
    [Fact] public void IndexSelectMiddleAxis() => GradientChecker.Check(x => x[0].IndexSelect(1, LongTensor.FromArray([1L, 1])), [2, 3, 2]);
    [Fact] public void IndexSelectOfANonLeafUsedTwice() => GradientChecker.Check(x =>
    {
        var h = x[0] * x[0];
        return h.IndexSelect(0, LongTensor.FromArray([1L, 1L])) + h.IndexSelect(0, LongTensor.FromArray([0L, 1L])) * h.Slice(0, 0, 2);
    }, [3, 2]);
    [Fact] public void GatherOfANonLeaf() => GradientChecker.Check(x => (x[0].Exp() + x[0]).Gather(0, LongTensor.FromArray([2L, 0L, 0L, 1L], 2, 2)), [3, 2]);
    [Fact] public void Gather() => GradientChecker.Check(x => x[0].Gather(1, LongTensor.FromArray([0L, 2, 1, 1, 0, 0], 3, 2)), [3, 4]);
    [Fact] public void GatherOfTransposedView() => GradientChecker.Check(x => x[0].Transpose(0, 1).Gather(1, LongTensor.FromArray([0L, 2, 1, 1], 4, 1)), [3, 4]);
    [Fact] public void MaskedFill() => GradientChecker.Check(x => x[0].MaskedFill(Tensor.FromArray([1f, 0f, 0f], 3), -7f), [2, 3]);
    [Fact] public void Where() => GradientChecker.Check(x => Tensor.Where(Tensor.FromArray([1f, 0f, 1f], 3, 1), x[0], x[1]), [3, 2], [2]);
    [Fact] public void Clone() => GradientChecker.Check(x => x[0].Clone() * x[0], [2, 3]);

    // A composite: a small attention block.
    [Fact] public void AttentionComposite() => GradientChecker.Check(x =>
    {
        var q = x[0];
        var scores = Tensor.MatMul(q, q.Transpose(-1, -2)) / MathF.Sqrt(4f);
        var probs = scores.Softmax(-1);
        return Tensor.MatMul(probs, x[1]).Gelu().Mean(1);
    }, [2, 3, 4], [2, 3, 5]);
}
