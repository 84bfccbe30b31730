namespace Fusion.Spec.Ir;

/// <summary>What a value is: a modality's kind, and the kind of every node output.</summary>
public enum ModalityKind
{
    /// <summary><c>[d]</c></summary>
    Vector,

    /// <summary><c>[N, d]</c>, carries its lengths.</summary>
    Sequence,

    /// <summary><c>[C, H, W]</c></summary>
    Image,

    /// <summary><c>[N]</c> token ids, carries its lengths.</summary>
    Tokens,
}
