using System;

namespace Fusion.Annotations;

/// <summary>The <c>context</c> section: per-modality context vectors and the shared context MLP (CBMF).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ContextAttribute : Attribute
{
    /// <summary><c>modalities</c> (default: every modality).</summary>
    public string[]? Modalities { get; set; }

    /// <summary><c>width</c> of each context vector.</summary>
    public int Width { get; set; }

    /// <summary><c>std</c> of the initial context vectors.</summary>
    public double Std { get; set; }

    /// <summary><c>mlp</c>: hidden widths of the shared context MLP.</summary>
    public int[]? Mlp { get; set; }

    /// <summary><c>out</c>: the width of each context embedding.</summary>
    public int Out { get; set; }
}
