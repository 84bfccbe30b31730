namespace Fusion.Annotations;

/// <summary>An <c>activation</c>.</summary>
public enum Activation
{
    /// <summary><c>relu</c></summary>
    Relu,
    /// <summary><c>gelu</c></summary>
    Gelu,
    /// <summary><c>tanh</c></summary>
    Tanh,
    /// <summary><c>leaky_relu</c></summary>
    LeakyRelu,
    /// <summary><c>sigmoid</c></summary>
    Sigmoid,
}
