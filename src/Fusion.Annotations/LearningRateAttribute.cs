using System;

namespace Fusion.Annotations;

/// <summary>An entry of <c>training.lr_groups</c>: <c>[LearningRate("encoders", 1e-4)]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LearningRateAttribute : Attribute
{
    public LearningRateAttribute(string group, double lr)
    {
        Group = group;
        Lr = lr;
    }

    public string Group { get; }

    public double Lr { get; }
}
