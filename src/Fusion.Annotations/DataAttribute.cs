using System;

namespace Fusion.Annotations;

/// <summary>The <c>data</c> section: <c>[Data(DataSource.Synthetic, Samples = 2000)]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DataAttribute : Attribute
{
    public DataAttribute(DataSource type)
    {
        Type = type;
    }

    public DataSource Type { get; }

    /// <summary><c>samples</c> (synthetic).</summary>
    public int Samples { get; set; }

    /// <summary><c>latent</c> (synthetic).</summary>
    public int Latent { get; set; }

    /// <summary><c>noise</c> (synthetic).</summary>
    public double Noise { get; set; }

    /// <summary><c>seed</c> (synthetic).</summary>
    public int Seed { get; set; }

    /// <summary><c>split</c>: three fractions [train, validation, test].</summary>
    public double[]? Split { get; set; }

    /// <summary><c>path</c> (npz, npy, csv).</summary>
    public string? Path { get; set; }

    /// <summary><c>columns</c> (csv): each entry is <c>"name=column"</c> or <c>"name=prefix0:prefix299"</c>.</summary>
    public string[]? Columns { get; set; }
}
