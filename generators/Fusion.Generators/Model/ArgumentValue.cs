using Fusion.Spec.Ir;

namespace Fusion.Generators.Model;

/// <summary>
/// An attribute argument's constant as the spec document will hold it: <see cref="Text"/> is the
/// scalar as written in YAML (<c>32</c>, <c>0.001</c>, <c>true</c>, <c>leaky_relu</c>), a list has
/// <see cref="Items"/>, each with the location of its own expression where the source has one.
/// </summary>
internal sealed record ArgumentValue(ArgumentValueKind Kind, string Text, EquatableArray<ArgumentValue> Items, LocationInfo Location);
