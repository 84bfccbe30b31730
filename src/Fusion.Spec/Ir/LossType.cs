namespace Fusion.Spec.Ir;

public enum LossType
{
    CrossEntropy,
    Bce,
    Mse,
    L1,
    Contrastive,
    Cca,
    Cmd,
    Sinkhorn,
    Reconstruction,
    Difference,
    Adversarial,
    Dtw,
}
