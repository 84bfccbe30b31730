namespace Fusion.Spec.Ir;

/// <summary>
/// A per-sample tensor shape (no batch axis). An open sequence length is stored as
/// <see cref="Open"/> (-1) and printed as <c>N</c>: <c>[N, 74]</c>. A scalar prints as <c>[]</c>.
/// </summary>
public sealed record Shape(EquatableArray<int> Dims)
{
    /// <summary>The value of an open (unknown until run time) sequence length.</summary>
    public const int Open = -1;

    public static Shape Scalar { get; } = new(EquatableArray<int>.Empty);

    public static Shape Of(params int[] dims) => new(EquatableArray.Create(dims));

    public int Rank => Dims.Count;

    public int this[int axis] => Dims[axis];

    /// <summary>The last axis (the feature width); throws for a scalar.</summary>
    public int Width => Rank == 0 ? throw new InvalidOperationException("a scalar shape has no width") : Dims[Rank - 1];

    /// <summary>True when some axis is <see cref="Open"/>.</summary>
    public bool IsOpen => Dims.Any(d => d == Open);

    /// <summary>The number of elements; throws for an open shape (its size is not known).</summary>
    public long ElementCount
    {
        get
        {
            if (IsOpen)
            {
                throw new InvalidOperationException($"shape {this} has an open axis; its element count is not known");
            }

            long count = 1;
            foreach (var d in Dims)
            {
                count *= d;
            }

            return count;
        }
    }

    public override string ToString() =>
        "[" + string.Join(", ", Dims.Select(d => d == Open ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
