using System;

namespace Fusion.Annotations;

/// <summary>
/// Declares a fusion model on a <c>partial class</c>: the source generator reads this class's
/// Fusion attributes (<see cref="ModalityAttribute"/>, <see cref="EncoderAttribute"/>,
/// <see cref="FusionNodeAttribute"/>, <see cref="ContextAttribute"/>, <see cref="HeadAttribute"/>,
/// <see cref="LossAttribute"/>, <see cref="TrainingAttribute"/>, <see cref="LearningRateAttribute"/>,
/// <see cref="DataAttribute"/>) as a spec and generates the rest of the class. The model's name is the
/// class's name; its namespace is the class's namespace unless <see cref="Namespace"/> says otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class FusionModelAttribute : Attribute
{
    /// <summary>The spec's <c>namespace</c>; the class must be declared in it.</summary>
    public string? Namespace { get; set; }
}
