using Fusion.Spec.Diagnostics;

namespace Fusion.Compiler.Emit;

/// <summary>
/// The code generator's diagnostics. FUS200: an op, head, loss or section that the spec language
/// accepts but the runtime cannot run yet; reported at its location, never silently skipped.
/// </summary>
public static class EmitDiagnostics
{
    public static readonly DiagnosticDescriptor Unsupported =
        new("FUS200", DiagnosticSeverity.Error, "not supported by the code generator yet");

    public static SpecDiagnostic UnsupportedOp(SourceLocation at, string node, string op) =>
        Unsupported.Create(at, $"op '{op}' (node '{node}') is not supported by the code generator yet");

    public static SpecDiagnostic UnsupportedLoss(SourceLocation at, string loss, string type, string why) =>
        Unsupported.Create(at, $"loss '{loss}' ({type}{why}) is not supported by the code generator yet");

    public static SpecDiagnostic UnsupportedContext(SourceLocation at) =>
        Unsupported.Create(at, "the context section (CBMF context vectors) is not supported by the code generator yet");
}
