namespace Fusion.Generators.Model;

/// <summary>
/// One argument of a Fusion attribute: the constructor parameter's or the named property's
/// <see cref="Name"/>, its value, and where its name (named arguments) is written.
/// </summary>
internal sealed record ArgumentInfo(string Name, ArgumentValue Value, LocationInfo NameLocation);
