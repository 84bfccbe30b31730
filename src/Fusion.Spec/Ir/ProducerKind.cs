namespace Fusion.Spec.Ir;

/// <summary>What a reference resolves to.</summary>
public enum ProducerKind
{
    Modality,
    Node,
    Head,
}
