using System;

namespace Fusion.Annotations;

/// <summary>An entry of <c>heads</c>: <c>[Head("label", HeadType.Classifier, Input = "fused", Classes = 3)]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HeadAttribute : Attribute
{
    public HeadAttribute(string name, HeadType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public HeadType Type { get; }

    /// <summary><c>input</c>: a node reference (a vector).</summary>
    public string? Input { get; set; }

    /// <summary><c>hidden</c>: widths of an MLP before the output layer.</summary>
    public int[]? Hidden { get; set; }

    /// <summary><c>dropout</c>.</summary>
    public double Dropout { get; set; }

    /// <summary><c>target</c> (default: the head's name).</summary>
    public string? Target { get; set; }

    /// <summary><c>classes</c> (classifier).</summary>
    public int Classes { get; set; }

    /// <summary><c>outputs</c> (regressor).</summary>
    public int Outputs { get; set; }

    /// <summary><c>labels</c> (multilabel).</summary>
    public int Labels { get; set; }

    /// <summary><c>dim</c> (embedding).</summary>
    public int Dim { get; set; }
}
