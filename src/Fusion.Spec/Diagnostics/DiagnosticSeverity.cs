namespace Fusion.Spec.Diagnostics;

public enum DiagnosticSeverity
{
    Error,
    Warning,
}
