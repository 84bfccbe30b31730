using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops;

/// <summary>
/// What shape inference knows about a value: its shape and kind, the vocabulary of a token
/// sequence, and the modality it derives from through single-input nodes (CBMF's default context).
/// </summary>
internal sealed record ValueInfo(Shape Shape, ModalityKind Kind, int? Vocab = null, string? RootModality = null)
{
    public static ModalityKind KindOfRank(int rank) => rank switch
    {
        1 => ModalityKind.Vector,
        2 => ModalityKind.Sequence,
        _ => ModalityKind.Image,
    };
}
