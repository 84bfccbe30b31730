namespace Fusion.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.BatchNorm1d(channels)</c> for <c>[N, C]</c> or <c>[N, C, L]</c>: parameters
/// <c>weight</c> (ones), <c>bias</c> (zeros); buffers <c>running_mean</c> (zeros), <c>running_var</c>
/// (ones) and <c>num_batches_tracked</c> (a scalar; PyTorch stores it as int64, here it is a float
/// holding an integer, written as int64 by the checkpoint bridge). Training normalises with batch
/// statistics and updates the running ones (momentum 0.1; null momentum = cumulative average);
/// evaluation uses the running statistics.
/// </summary>
public sealed class BatchNorm1d : Module<Tensor, Tensor>
{
    public BatchNorm1d(int channels, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true)
    {
        Channels = channels;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(channels).DetachFromScope());
            Bias = RegisterParameter("bias", Tensor.Zeros(channels).DetachFromScope());
        }
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(channels).DetachFromScope());
        RunningVar = RegisterBuffer("running_var", Tensor.Ones(channels).DetachFromScope());
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0f).DetachFromScope());
    }

    public int Channels { get; }
    public float Eps { get; }
    public float? Momentum { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor NumBatchesTracked { get; }

    public override Tensor Forward(Tensor input)
    {
        float momentum = Momentum ?? 0f;
        if (IsTraining)
        {
            var count = NumBatchesTracked.AsSpan();
            count[0] += 1f;
            if (Momentum is null) momentum = 1f / count[0];
        }
        return Tensor.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining, momentum, Eps);
    }
}
