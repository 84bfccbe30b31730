namespace Fusion.Spec.Ir;

/// <summary>
/// One resolved attribute: every attribute an op accepts is present, with its default
/// filled in when the spec leaves it out (<see cref="IsExplicit"/> false). A few ops add
/// derived attributes (e.g. <c>embedding</c>'s <c>vocab</c>, <c>self_attention</c>'s default <c>width</c>).
/// </summary>
public sealed record NodeAttribute(string Name, AttributeValue Value, bool IsExplicit);
