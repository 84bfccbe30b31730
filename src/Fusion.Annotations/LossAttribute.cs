using System;

namespace Fusion.Annotations;

/// <summary>An entry of <c>losses</c>, in the order declared: <c>[Loss(LossType.CrossEntropy, Head = "label")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LossAttribute : Attribute
{
    public LossAttribute(LossType type)
    {
        Type = type;
    }

    public LossType Type { get; }

    /// <summary><c>name</c> (default: the type, then <c>type_2</c>, ...).</summary>
    public string? Name { get; set; }

    /// <summary><c>weight</c> (default 1).</summary>
    public double Weight { get; set; }

    /// <summary><c>head</c>.</summary>
    public string? Head { get; set; }

    /// <summary><c>between</c>: two references.</summary>
    public string[]? Between { get; set; }

    /// <summary><c>node</c>.</summary>
    public string? Node { get; set; }

    /// <summary><c>label_smoothing</c> (cross_entropy).</summary>
    public double LabelSmoothing { get; set; }

    /// <summary><c>pos_weight</c> (bce).</summary>
    public double PosWeight { get; set; }

    /// <summary><c>scale</c> (contrastive).</summary>
    public ContrastiveScale Scale { get; set; }

    /// <summary><c>temperature</c> (contrastive).</summary>
    public double Temperature { get; set; }

    /// <summary><c>max_scale</c> (contrastive).</summary>
    public double MaxScale { get; set; }

    /// <summary><c>r</c> (cca).</summary>
    public double R { get; set; }

    /// <summary><c>top_k</c> (cca).</summary>
    public int TopK { get; set; }

    /// <summary><c>moments</c> (cmd).</summary>
    public int Moments { get; set; }

    /// <summary><c>epsilon</c> (sinkhorn).</summary>
    public double Epsilon { get; set; }

    /// <summary><c>iterations</c> (sinkhorn).</summary>
    public int Iterations { get; set; }

    /// <summary><c>gamma</c> (dtw): 0 the hard DTW cost, above 0 soft-DTW's smoothing.</summary>
    public double Gamma { get; set; }

    /// <summary><c>cost</c> (dtw): the pairwise cost between steps.</summary>
    public DtwCost Cost { get; set; }
}
