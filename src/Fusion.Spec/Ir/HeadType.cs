namespace Fusion.Spec.Ir;

public enum HeadType
{
    Classifier,
    Regressor,
    Multilabel,
    Embedding,
}
