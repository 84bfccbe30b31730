using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Validation;

/// <summary>What every binder shares: the file, the diagnostics and the one namespace of names.</summary>
internal sealed class BindContext
{
    public BindContext(string path, DiagnosticBag diagnostics)
    {
        Path = path;
        Diagnostics = diagnostics;
        Names = new NameTable(diagnostics);
    }

    public string Path { get; }

    public DiagnosticBag Diagnostics { get; }

    public NameTable Names { get; }

    public void Report(SpecDiagnostic diagnostic) => Diagnostics.Add(diagnostic);
}
