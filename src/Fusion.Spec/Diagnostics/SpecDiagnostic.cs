namespace Fusion.Spec.Diagnostics;

/// <summary>One problem found in a spec, with a stable id (see <see cref="DiagnosticDescriptors"/>).</summary>
public sealed record SpecDiagnostic(string Id, DiagnosticSeverity Severity, string Message, SourceLocation Location)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary><c>path:line:col: error FUS003: message</c> (<c>warning</c> for warnings).</summary>
    public override string ToString() =>
        $"{Location}: {(IsError ? "error" : "warning")} {Id}: {Message}";
}
