namespace Fusion.Runtime.Nn;

/// <summary>PyTorch's <c>nn.Dropout(p)</c>: inverted dropout in training, identity in evaluation; masks from <paramref name="generator"/>.</summary>
public sealed class Dropout(float p, RandomSource generator) : Module<Tensor, Tensor>
{
    public float P { get; } = p is >= 0f and <= 1f ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1].");

    public override Tensor Forward(Tensor input) => Tensor.Dropout(input, P, IsTraining, generator);
}
