using System.Collections.Immutable;
using Fusion.Spec.Diagnostics;

namespace Fusion.Compiler.Emit;

/// <summary>
/// What <see cref="ModuleEmitter.Emit"/> produced: the C# source of the module, or null when an
/// error diagnostic (FUS200: something the code generator does not support yet) stopped it.
/// </summary>
public sealed class EmitResult
{
    public EmitResult(string? source, ImmutableArray<SpecDiagnostic> diagnostics)
    {
        Source = source;
        Diagnostics = diagnostics.IsDefault ? ImmutableArray<SpecDiagnostic>.Empty : diagnostics;
    }

    public string? Source { get; }

    public ImmutableArray<SpecDiagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
