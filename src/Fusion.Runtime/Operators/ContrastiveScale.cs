using Fusion.Runtime.Losses;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// A contrastive loss's learnable scale (methods.md sections 0 and 1): the parameter
/// <c>logit_scale []</c>, initialised to <c>log(1 / temperature)</c>; the scale is
/// <c>min(exp(t), maxScale)</c>.
/// </summary>
public sealed class ContrastiveScale : Module
{
    public ContrastiveScale(float temperature, float maxScale)
    {
        if (!(temperature > 0f)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive.");
        MaxScale = maxScale;
        LogitScale = RegisterParameter("logit_scale", Tensor.Scalar(MathF.Log(1f / temperature)));
    }

    public float MaxScale { get; }

    public Tensor LogitScale { get; }

    /// <summary>The symmetric contrastive loss of <paramref name="za"/> and <paramref name="zb"/> at the learnable scale.</summary>
    public Tensor Loss(Tensor za, Tensor zb) => Losses.Loss.Contrastive(za, zb, LogitScale, MaxScale);
}
