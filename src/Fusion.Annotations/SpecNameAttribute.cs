using System;

namespace Fusion.Annotations;

/// <summary>
/// The spec text of an enum member whose snake_case name is not its spec word
/// (<c>OptimizerType.AdamW</c> is <c>adamw</c>, not <c>adam_w</c>). Without it, a member's text is
/// its snake_case name (<c>LeakyRelu</c> is <c>leaky_relu</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class SpecNameAttribute : Attribute
{
    public SpecNameAttribute(string name)
    {
        Name = name;
    }

    public string Name { get; }
}
