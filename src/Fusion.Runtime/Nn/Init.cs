namespace Fusion.Runtime.Nn;

/// <summary>Which fan scales Kaiming initialisation (PyTorch's <c>mode</c>).</summary>
public enum FanMode { FanIn, FanOut }

/// <summary>
/// In-place initialisers after <c>torch.nn.init</c>, all drawing from a <see cref="RandomSource"/>
/// so that the same seed gives the same bits. They run without recording a gradient.
/// Fans follow PyTorch: for a tensor <c>[out, in, k...]</c>, fan_in = in * prod(k), fan_out = out * prod(k).
/// </summary>
public static class Init
{
    public static (int FanIn, int FanOut) Fans(Tensor tensor)
    {
        if (tensor.Rank < 2) throw new ArgumentException($"Fan in and fan out need a tensor of rank 2 or more; got rank {tensor.Rank}.");
        int receptive = 1;
        for (int i = 2; i < tensor.Rank; i++) receptive *= tensor.Size(i);
        return (tensor.Size(1) * receptive, tensor.Size(0) * receptive);
    }

    /// <summary>PyTorch's <c>calculate_gain</c> for leaky_relu with slope <paramref name="a"/>: sqrt(2 / (1 + a^2)).</summary>
    public static double LeakyReluGain(double a = 0) => Math.Sqrt(2.0 / (1 + a * a));

    public static Tensor Uniform(Tensor tensor, RandomSource generator, float low = 0f, float high = 1f)
    {
        using var _ = Autograd.NoGrad();
        generator.FillUniform(tensor.AsSpan(), low, high);
        return tensor;
    }

    public static Tensor Normal(Tensor tensor, RandomSource generator, float mean = 0f, float std = 1f)
    {
        using var _ = Autograd.NoGrad();
        generator.FillNormal(tensor.AsSpan(), mean, std);
        return tensor;
    }

    public static Tensor Zeros(Tensor tensor)
    {
        using var _ = Autograd.NoGrad();
        return tensor.ZeroInPlace();
    }

    public static Tensor Ones(Tensor tensor)
    {
        using var _ = Autograd.NoGrad();
        return tensor.FillInPlace(1f);
    }

    /// <summary>
    /// <c>kaiming_uniform_(t, a, mode, nonlinearity='leaky_relu')</c>: U(-bound, bound) with
    /// bound = gain * sqrt(3 / fan), gain = sqrt(2 / (1 + a^2)). Linear's default uses a = sqrt(5), giving 1 / sqrt(fan_in).
    /// </summary>
    public static Tensor KaimingUniform(Tensor tensor, RandomSource generator, double a = 0, FanMode mode = FanMode.FanIn)
    {
        var (fanIn, fanOut) = Fans(tensor);
        double bound = LeakyReluGain(a) * Math.Sqrt(3.0 / (mode == FanMode.FanIn ? fanIn : fanOut));
        return Uniform(tensor, generator, (float)-bound, (float)bound);
    }

    /// <summary><c>kaiming_normal_(t, a, mode, nonlinearity='leaky_relu')</c>: N(0, (gain / sqrt(fan))^2).</summary>
    public static Tensor KaimingNormal(Tensor tensor, RandomSource generator, double a = 0, FanMode mode = FanMode.FanIn)
    {
        var (fanIn, fanOut) = Fans(tensor);
        double std = LeakyReluGain(a) / Math.Sqrt(mode == FanMode.FanIn ? fanIn : fanOut);
        return Normal(tensor, generator, 0f, (float)std);
    }

    /// <summary><c>xavier_uniform_(t, gain)</c>: U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor tensor, RandomSource generator, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(tensor);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, generator, (float)-bound, (float)bound);
    }

    /// <summary><c>xavier_normal_(t, gain)</c>: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, RandomSource generator, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(tensor);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        return Normal(tensor, generator, 0f, (float)std);
    }
}
