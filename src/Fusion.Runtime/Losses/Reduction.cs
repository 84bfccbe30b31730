namespace Fusion.Runtime.Losses;

/// <summary>How an element-wise (or per-sample) loss is reduced, as in PyTorch's <c>reduction=</c>.</summary>
public enum Reduction
{
    /// <summary>The mean over all elements (PyTorch's default).</summary>
    Mean,

    /// <summary>The sum over all elements.</summary>
    Sum,

    /// <summary>No reduction: the per-element (or per-sample) losses.</summary>
    None,
}

/// <summary>Applies a <see cref="Reduction"/> to a tensor of per-element losses with autograd.</summary>
internal static class ReductionExtensions
{
    public static Tensor Reduce(this Tensor losses, Reduction reduction) => reduction switch
    {
        Reduction.Mean => losses.Mean(),
        Reduction.Sum => losses.Sum(),
        Reduction.None => losses,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
    };
}
