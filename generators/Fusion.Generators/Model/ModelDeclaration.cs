using Fusion.Spec.Ir;

namespace Fusion.Generators.Model;

/// <summary>
/// What the generator takes from a <c>[FusionModel]</c> class, as equatable data: the class's
/// name and namespace (null in the global namespace), where it and its <c>[FusionModel]</c> are
/// written, the Fusion attributes in declaration order, and the problems with the class itself.
/// No symbol or syntax: an unrelated edit gives an equal value, so the later steps stay cached.
/// </summary>
internal sealed record ModelDeclaration(
    string ClassName,
    string? Namespace,
    string FilePath,
    LocationInfo ClassLocation,
    EquatableArray<AttributeInfo> Attributes,
    EquatableArray<DiagnosticInfo> Diagnostics);
