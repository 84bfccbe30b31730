namespace Fusion.Runtime.Data;

/// <summary>How a modality's per-sample array is laid out.</summary>
public enum ModalityKind
{
    /// <summary><c>[d]</c> floats.</summary>
    Vector,
    /// <summary><c>[N, d]</c> floats, N may be open (-1); carries per-sample lengths.</summary>
    Sequence,
    /// <summary><c>[C, H, W]</c> floats.</summary>
    Image,
    /// <summary><c>[N]</c> int64 token ids in <c>[0, vocab)</c>, N may be open (-1); carries per-sample lengths.</summary>
    Tokens,
}

/// <summary>
/// What the data layer needs to know about one modality of a model (the runtime-side view of the
/// spec's <c>modalities</c> entry): its per-sample <paramref name="Shape"/> without the batch axis
/// (the first axis of a sequence or tokens modality may be -1, an open length), its kind, the
/// vocabulary size of a tokens modality, and whether a data source may leave it out.
/// </summary>
public sealed record ModalityDescriptor(string Name, int[] Shape, ModalityKind Kind, int? Vocab = null, bool Optional = false)
{
    /// <summary>Sequence and tokens modalities carry per-sample lengths.</summary>
    public bool HasLengths => Kind is ModalityKind.Sequence or ModalityKind.Tokens;

    /// <summary>True when the first axis is declared open (-1).</summary>
    public bool IsOpenLength => HasLengths && Shape.Length > 0 && Shape[0] == -1;

    /// <summary>Token ids are int64; every other kind is float32.</summary>
    public DataType DataType => Kind == ModalityKind.Tokens ? DataType.Int64 : DataType.Float32;

    /// <summary>Checks the descriptor itself (rank per kind, positive sizes, vocab for tokens).</summary>
    public void Validate()
    {
        int expectedRank = Kind switch { ModalityKind.Vector => 1, ModalityKind.Sequence => 2, ModalityKind.Image => 3, _ => 1 };
        if (Shape.Length != expectedRank)
            throw new ArgumentException($"Modality '{Name}': a {Kind} modality has rank {expectedRank}; shape is {ShapeText.Format(Shape)}.");
        for (int i = 0; i < Shape.Length; i++)
        {
            if (Shape[i] > 0) continue;
            if (i == 0 && Shape[i] == -1 && HasLengths) continue;
            throw new ArgumentException($"Modality '{Name}': axis {i} of shape {ShapeText.Format(Shape)} must be positive{(HasLengths ? " (only the first axis may be -1)" : "")}.");
        }
        if (Kind == ModalityKind.Tokens && (Vocab is null || Vocab < 2))
            throw new ArgumentException($"Modality '{Name}': a tokens modality needs a vocabulary of at least 2; vocab is {Vocab?.ToString() ?? "missing"}.");
    }
}
