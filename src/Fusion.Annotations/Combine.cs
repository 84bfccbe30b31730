namespace Fusion.Annotations;

/// <summary>The <c>combine</c> of a <c>late</c> or <c>cbmf</c> node; each op accepts the values of its table.</summary>
public enum Combine
{
    /// <summary><c>mean</c></summary>
    Mean,
    /// <summary><c>weighted</c></summary>
    Weighted,
    /// <summary><c>vote</c></summary>
    Vote,
    /// <summary><c>add</c></summary>
    Add,
    /// <summary><c>multiply</c></summary>
    Multiply,
    /// <summary><c>concat</c></summary>
    Concat,
    /// <summary><c>additive_attention</c></summary>
    AdditiveAttention,
    /// <summary><c>general_attention</c></summary>
    GeneralAttention,
    /// <summary><c>dot_attention</c></summary>
    DotAttention,
}
