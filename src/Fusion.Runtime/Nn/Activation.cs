namespace Fusion.Runtime.Nn;

/// <summary>The element-wise activations a spec can name (<c>activation:</c> of <c>mlp</c> and friends).</summary>
public enum Activation { Relu, Gelu, Tanh, LeakyRelu, Sigmoid, Identity }

public static class ActivationExtensions
{
    /// <summary>Applies the activation (LeakyRelu with PyTorch's slope 0.01, GELU exact erf).</summary>
    public static Tensor Apply(this Activation activation, Tensor x) => activation switch
    {
        Activation.Relu => x.Relu(),
        Activation.Gelu => x.Gelu(),
        Activation.Tanh => x.Tanh(),
        Activation.LeakyRelu => x.LeakyRelu(),
        Activation.Sigmoid => x.Sigmoid(),
        Activation.Identity => x,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };
}
