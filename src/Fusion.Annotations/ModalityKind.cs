namespace Fusion.Annotations;

/// <summary>The <c>kind</c> of a modality (default: from the rank of its shape).</summary>
public enum ModalityKind
{
    /// <summary><c>vector</c></summary>
    Vector,
    /// <summary><c>sequence</c></summary>
    Sequence,
    /// <summary><c>image</c></summary>
    Image,
    /// <summary><c>tokens</c></summary>
    Tokens,
}
