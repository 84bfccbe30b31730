namespace Fusion.Spec.Diagnostics;

/// <summary>A diagnostic id, its severity and what it is about.</summary>
public sealed record DiagnosticDescriptor(string Id, DiagnosticSeverity Severity, string Title)
{
    public SpecDiagnostic Create(SourceLocation location, string message) => new(Id, Severity, message, location);
}
