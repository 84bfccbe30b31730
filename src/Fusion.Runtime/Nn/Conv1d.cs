namespace Fusion.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.Conv1d(in, out, kernel, stride, padding)</c> over batch-first sequences: input
/// <c>[B, N, in]</c> (steps, then channels, as the spec's <c>[N, d]</c>; PyTorch's layout is the
/// transpose <c>[B, in, N]</c>), output <c>[B, N', out]</c>, N' = floor((N + 2p - k) / s) + 1.
/// Keys <c>weight [out, in, k]</c>, <c>bias [out]</c>; initialisation as PyTorch (weight kaiming_uniform
/// with a = sqrt(5), then bias U(±1/sqrt(in k))). See <see cref="Tensor.Conv1d"/> for lengths.
/// </summary>
public sealed class Conv1d : Module<Tensor, Tensor>
{
    public Conv1d(int inChannels, int outChannels, int kernelSize, RandomSource generator, int stride = 1, int padding = 0, bool bias = true)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"Conv1d({inChannels}, {outChannels}, {kernelSize}): sizes must be positive.");
        if (stride < 1 || padding < 0) throw new ArgumentOutOfRangeException(nameof(stride), $"Conv1d: stride {stride} must be >= 1 and padding {padding} >= 0.");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = RegisterParameter("weight", Tensor.Empty(outChannels, inChannels, kernelSize).DetachFromScope());
        Init.KaimingUniform(Weight, generator, Math.Sqrt(5));
        if (bias)
        {
            float bound = 1f / MathF.Sqrt(inChannels * kernelSize);
            Bias = RegisterParameter("bias", Tensor.Empty(outChannels).DetachFromScope());
            Init.Uniform(Bias, generator, -bound, bound);
        }
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    /// <summary>Every step of every sample is valid.</summary>
    public override Tensor Forward(Tensor input) => Tensor.Conv1d(input, Weight, Bias, Stride, Padding);

    /// <summary>
    /// With per-sample <paramref name="lengths"/> <c>[B]</c>: padded input steps count as zeros, output steps at and
    /// after each output length are zero; returns the output and its lengths floor((L + 2p - k) / s) + 1.
    /// </summary>
    public (Tensor Output, LongTensor Lengths) Forward(Tensor input, LongTensor lengths) =>
        (Tensor.Conv1d(input, Weight, Bias, Stride, Padding, lengths), Tensor.Conv1dLengths(lengths, KernelSize, Stride, Padding));
}
