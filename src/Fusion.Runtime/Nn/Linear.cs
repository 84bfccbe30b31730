namespace Fusion.Runtime.Nn;

/// <summary>
/// y = x W^T + b with W <c>[out, in]</c> and b <c>[out]</c> (PyTorch's <c>nn.Linear</c>), applied
/// over the last axis of any input. Default initialisation as PyTorch: W by kaiming_uniform with
/// a = sqrt(5) (U(-1/sqrt(in), 1/sqrt(in))), then b by U(-1/sqrt(in), 1/sqrt(in)), in that order
/// from <paramref name="generator"/>.
/// </summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    public Linear(int inFeatures, int outFeatures, RandomSource generator, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear({inFeatures}, {outFeatures}): sizes must be positive.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.Empty(outFeatures, inFeatures).DetachFromScope());
        Init.KaimingUniform(Weight, generator, Math.Sqrt(5));
        if (bias)
        {
            float bound = 1f / MathF.Sqrt(inFeatures);
            Bias = RegisterParameter("bias", Tensor.Empty(outFeatures).DetachFromScope());
            Init.Uniform(Bias, generator, -bound, bound);
        }
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias);
}
