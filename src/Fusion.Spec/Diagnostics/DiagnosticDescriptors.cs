namespace Fusion.Spec.Diagnostics;

/// <summary>
/// Every diagnostic id of the spec language and every message format, in one place.
/// The ids are stable: tools and tests match on them.
/// </summary>
public static class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor InvalidYaml = new("FUS000", DiagnosticSeverity.Error, "the file is not valid YAML");
    public static readonly DiagnosticDescriptor UnknownKey = new("FUS001", DiagnosticSeverity.Error, "unknown key");
    public static readonly DiagnosticDescriptor UnknownValue = new("FUS002", DiagnosticSeverity.Error, "unknown op, head type, loss type or enum value");
    public static readonly DiagnosticDescriptor UndeclaredReference = new("FUS003", DiagnosticSeverity.Error, "reference to an undeclared modality or node");
    public static readonly DiagnosticDescriptor Cycle = new("FUS004", DiagnosticSeverity.Error, "a cycle in the graph");
    public static readonly DiagnosticDescriptor BadName = new("FUS005", DiagnosticSeverity.Error, "duplicate or invalid name");
    public static readonly DiagnosticDescriptor WrongType = new("FUS006", DiagnosticSeverity.Error, "a value of the wrong type");
    public static readonly DiagnosticDescriptor ShapeMismatch = new("FUS007", DiagnosticSeverity.Error, "shape mismatch between a producer and a consumer");
    public static readonly DiagnosticDescriptor MissingKey = new("FUS008", DiagnosticSeverity.Error, "a required key is missing");
    public static readonly DiagnosticDescriptor OutOfRange = new("FUS009", DiagnosticSeverity.Error, "a non-positive size, or a value out of range");
    public static readonly DiagnosticDescriptor Precondition = new("FUS010", DiagnosticSeverity.Error, "an op's precondition does not hold");
    public static readonly DiagnosticDescriptor WrongLossTarget = new("FUS011", DiagnosticSeverity.Error, "a loss attached to a head or node of the wrong kind");
    public static readonly DiagnosticDescriptor Degenerate = new("FUS100", DiagnosticSeverity.Warning, "degenerate setting");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        InvalidYaml, UnknownKey, UnknownValue, UndeclaredReference, Cycle, BadName, WrongType,
        ShapeMismatch, MissingKey, OutOfRange, Precondition, WrongLossTarget, Degenerate,
    ];

    // FUS000
    public static SpecDiagnostic YamlError(SourceLocation at, string parserMessage) =>
        InvalidYaml.Create(at, $"the file is not valid YAML: {parserMessage}");

    public static SpecDiagnostic SeveralDocuments(SourceLocation at) =>
        InvalidYaml.Create(at, "the file holds several YAML documents; a spec is exactly one document");

    // FUS001
    public static SpecDiagnostic UnknownKeyIn(SourceLocation at, string key, string where, string? suggestion, IEnumerable<string> known) =>
        UnknownKey.Create(at, $"unknown key '{key}' in {where}; " + SuggestionOr(suggestion, "expected one of", known));

    // FUS002
    public static SpecDiagnostic UnknownValueOf(SourceLocation at, string what, string value, string? suggestion, IEnumerable<string> accepted) =>
        UnknownValue.Create(at, $"unknown {what} '{value}'; " + SuggestionOr(suggestion, "accepted values are", accepted));

    // FUS003
    public static SpecDiagnostic Undeclared(SourceLocation at, string reference, string what, string? suggestion) =>
        UndeclaredReference.Create(at, $"'{reference}' in {what} is not a declared {Declarable(what)}" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));

    public static SpecDiagnostic NoSuchMember(SourceLocation at, string node, string member, IEnumerable<string> members) =>
        UndeclaredReference.Create(at, $"node '{node}' has no output member '{member}'; its members are {Quoted(members)}");

    public static SpecDiagnostic NotMultiOutput(SourceLocation at, string producer, string member) =>
        UndeclaredReference.Create(at, $"'{producer}' has a single output, so '{producer}.{member}' names nothing; write '{producer}'");

    public static SpecDiagnostic UndeclaredName(SourceLocation at, string name, string what, string? suggestion, IEnumerable<string> known) =>
        UndeclaredReference.Create(at, $"'{name}' is not {what}; " + SuggestionOr(suggestion, "expected one of", known));

    // FUS004
    public static SpecDiagnostic CycleThrough(SourceLocation at, IEnumerable<string> path) =>
        Cycle.Create(at, $"the graph has a cycle: {string.Join(" -> ", path)}; a node may not depend on its own output");

    // FUS005
    public static SpecDiagnostic DuplicateName(SourceLocation at, string name, SourceLocation first) =>
        BadName.Create(at, $"the name '{name}' is already declared at {first.Line}:{first.Column}; names of modalities, nodes, heads and losses must be unique");

    public static SpecDiagnostic DuplicateKey(SourceLocation at, string key, SourceLocation first) =>
        BadName.Create(at, $"the key '{key}' appears twice in this map (first at {first.Line}:{first.Column})");

    public static SpecDiagnostic DuplicateItem(SourceLocation at, string item, string list) =>
        BadName.Create(at, $"'{item}' is listed twice in {list}; list it once");

    public static SpecDiagnostic InvalidName(SourceLocation at, string name, string what) =>
        BadName.Create(at, $"'{name}' is not a valid {what} name; a name is an identifier [A-Za-z_][A-Za-z0-9_]* (and a class or namespace name is not a C# keyword)");

    public static SpecDiagnostic ReservedName(SourceLocation at, string name) =>
        BadName.Create(at, $"'{name}' is reserved (its state-dict prefix belongs to the '{name}' section); choose another name");

    // FUS006
    public static SpecDiagnostic WrongTypeOf(SourceLocation at, string key, string expected, string actual) =>
        WrongType.Create(at, $"'{key}' must be {expected}, not {actual}");

    // FUS007
    public static SpecDiagnostic ShapeExpectation(SourceLocation at, string subject, Ir.Shape shape, string consumer, string expectation) =>
        ShapeMismatch.Create(at, $"{subject} has shape {shape} but {consumer} expects {expectation}");

    public static SpecDiagnostic ShapeConflict(SourceLocation at, string message) => ShapeMismatch.Create(at, message);

    // FUS008
    public static SpecDiagnostic Missing(SourceLocation at, string key, string where) =>
        MissingKey.Create(at, $"{where} needs the key '{key}'");

    public static SpecDiagnostic EmptySection(SourceLocation at, string section, string need) =>
        MissingKey.Create(at, $"'{section}' is empty; {need}");

    // FUS009
    public static SpecDiagnostic NotPositive(SourceLocation at, string key, string value) =>
        OutOfRange.Create(at, $"'{key}' is {value} but must be positive");

    public static SpecDiagnostic NotInRange(SourceLocation at, string key, string value, string range) =>
        OutOfRange.Create(at, $"'{key}' is {value} but must be {range}");

    public static SpecDiagnostic SizeOverflow(SourceLocation at, string node) =>
        OutOfRange.Create(at, $"the sizes of node '{node}' overflow: one of its shapes or parameter counts does not fit in 32 bits; use smaller sizes");

    // FUS010
    public static SpecDiagnostic PreconditionFailed(SourceLocation at, string message) => Precondition.Create(at, message);

    // FUS011
    /// <param name="loss">the loss as a subject: "loss 'mse'".</param>
    public static SpecDiagnostic LossOnWrongKind(SourceLocation at, string loss, string attachedTo, string actualKind, string expectedKind) =>
        WrongLossTarget.Create(at, $"{loss} is attached to {attachedTo}, which is {actualKind}; it needs {expectedKind}");

    // FUS100
    public static SpecDiagnostic DegenerateSetting(SourceLocation at, string message) => Degenerate.Create(at, message);

    private static string SuggestionOr(string? suggestion, string listIntro, IEnumerable<string> known) =>
        suggestion is not null ? $"did you mean '{suggestion}'?" : $"{listIntro} {Quoted(known)}";

    private static string Quoted(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list.Select(n => $"'{n}'"));
    }

    private static string Declarable(string what) =>
        what.StartsWith("loss", StringComparison.Ordinal) ? "modality, node or head" : "modality or node";
}
