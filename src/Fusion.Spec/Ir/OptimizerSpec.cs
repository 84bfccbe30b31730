namespace Fusion.Spec.Ir;

/// <summary>
/// Defaults: adam, lr 1e-3, betas (0.9, 0.999), momentum 0, nesterov false; weight decay 0
/// (adam, sgd) or 0.01 (adamw, PyTorch's default).
/// </summary>
public sealed record OptimizerSpec(
    OptimizerType Type,
    double Lr,
    double WeightDecay,
    double Beta1,
    double Beta2,
    double Momentum,
    bool Nesterov)
{
    public static OptimizerSpec Default { get; } = new(OptimizerType.Adam, 1e-3, 0, 0.9, 0.999, 0, false);
}
