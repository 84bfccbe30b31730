namespace Fusion.Spec.Ir;

public enum OptimizerType
{
    Sgd,
    Adam,
    AdamW,
}
