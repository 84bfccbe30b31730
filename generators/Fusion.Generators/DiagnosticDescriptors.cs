using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Fusion.Generators;

/// <summary>
/// The Roslyn descriptors of every diagnostic the generator reports: the spec language's
/// (FUS0xx, FUS100, from Fusion.Spec), the code generator's (FUS200) and the generator's own (FUS3xx).
/// Messages come formatted from Fusion.Spec, so each format is <c>{0}</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor InvalidYaml = new("FUS000", "the file is not valid YAML", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownKey = new("FUS001", "unknown key", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownValue = new("FUS002", "unknown op, head type, loss type or enum value", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UndeclaredReference = new("FUS003", "reference to an undeclared modality or node", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Cycle = new("FUS004", "a cycle in the graph", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BadName = new("FUS005", "duplicate or invalid name", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor WrongType = new("FUS006", "a value of the wrong type", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ShapeMismatch = new("FUS007", "shape mismatch between a producer and a consumer", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingKey = new("FUS008", "a required key is missing", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OutOfRange = new("FUS009", "a non-positive size, or a value out of range", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Precondition = new("FUS010", "an op's precondition does not hold", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor WrongLossTarget = new("FUS011", "a loss attached to a head or node of the wrong kind", "{0}", "Fusion.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Degenerate = new("FUS100", "degenerate setting", "{0}", "Fusion.Spec", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Unsupported = new("FUS200", "not supported by the code generator yet", "{0}", "Fusion.Compiler", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotPartial = new("FUS300", "a [FusionModel] class must be partial", "{0}", "Fusion.Generators", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotTopLevel = new("FUS301", "a [FusionModel] class must be a non-generic top-level class in a namespace", "{0}", "Fusion.Generators", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GeneratorFailed = new("FUS302", "the code generator failed", "{0}", "Fusion.Generators", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly Dictionary<string, DiagnosticDescriptor> Known = new()
    {
        [InvalidYaml.Id] = InvalidYaml,
        [UnknownKey.Id] = UnknownKey,
        [UnknownValue.Id] = UnknownValue,
        [UndeclaredReference.Id] = UndeclaredReference,
        [Cycle.Id] = Cycle,
        [BadName.Id] = BadName,
        [WrongType.Id] = WrongType,
        [ShapeMismatch.Id] = ShapeMismatch,
        [MissingKey.Id] = MissingKey,
        [OutOfRange.Id] = OutOfRange,
        [Precondition.Id] = Precondition,
        [WrongLossTarget.Id] = WrongLossTarget,
        [Degenerate.Id] = Degenerate,
        [Unsupported.Id] = Unsupported,
        [NotPartial.Id] = NotPartial,
        [NotTopLevel.Id] = NotTopLevel,
        [GeneratorFailed.Id] = GeneratorFailed,
    };

    /// <summary>The descriptor of a Fusion.Spec or Fusion.Compiler diagnostic id; an id this version does not know is reported as <see cref="GeneratorFailed"/>.</summary>
    public static DiagnosticDescriptor For(string id) => Known.TryGetValue(id, out var descriptor) ? descriptor : GeneratorFailed;
}
