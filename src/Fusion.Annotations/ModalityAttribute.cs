using System;

namespace Fusion.Annotations;

/// <summary>An entry of <c>modalities</c>: <c>[Modality("audio", 50, 74)]</c> is <c>audio: { shape: [50, 74] }</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ModalityAttribute : Attribute
{
    /// <param name="name">The modality's name.</param>
    /// <param name="shape">The per-sample shape without the batch axis; -1 for an open sequence length.</param>
    public ModalityAttribute(string name, params int[] shape)
    {
        Name = name;
        Shape = shape;
    }

    public string Name { get; }

    public int[] Shape { get; }

    /// <summary><c>kind</c> (default: from the rank of the shape).</summary>
    public ModalityKind Kind { get; set; }

    /// <summary><c>vocab</c>, for <see cref="ModalityKind.Tokens"/>.</summary>
    public int Vocab { get; set; }

    /// <summary><c>optional</c>: a batch may leave the modality out.</summary>
    public bool Optional { get; set; }
}
