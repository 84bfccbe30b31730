namespace Fusion.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.Conv2d(in, out, kernel, stride, padding)</c> with a square kernel: input
/// <c>[B, in, H, W]</c>, output <c>[B, out, H', W']</c>, H' = floor((H + 2p - k) / s) + 1.
/// Keys <c>weight [out, in, k, k]</c>, <c>bias [out]</c>; initialisation as PyTorch (weight
/// kaiming_uniform with a = sqrt(5), then bias U(±1/sqrt(in k k))).
/// </summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    public Conv2d(int inChannels, int outChannels, int kernelSize, RandomSource generator, int stride = 1, int padding = 0, bool bias = true)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"Conv2d({inChannels}, {outChannels}, {kernelSize}): sizes must be positive.");
        if (stride < 1 || padding < 0) throw new ArgumentOutOfRangeException(nameof(stride), $"Conv2d: stride {stride} must be >= 1 and padding {padding} >= 0.");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = RegisterParameter("weight", Tensor.Empty(outChannels, inChannels, kernelSize, kernelSize).DetachFromScope());
        Init.KaimingUniform(Weight, generator, Math.Sqrt(5));
        if (bias)
        {
            float bound = 1f / MathF.Sqrt(inChannels * kernelSize * kernelSize);
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

    public override Tensor Forward(Tensor input) => Tensor.Conv2d(input, Weight, Bias, Stride, Padding);
}
