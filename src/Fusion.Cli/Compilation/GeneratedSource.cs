using Fusion.Cli.Commands;
using Fusion.Compiler.Emit;
using Fusion.Spec.Ir;

namespace Fusion.Cli.Compilation;

/// <summary>A checked spec and the C# source the emitter made of it.</summary>
internal sealed record GeneratedSource(FusionSpec Spec, string Source)
{
    /// <summary>The generated class's full name (<c>Namespace.Model</c>).</summary>
    public string TypeName => Spec.Namespace + "." + Spec.Model;

    /// <summary>
    /// Reads and checks <paramref name="path"/>, then emits it. Spec and emitter diagnostics go to
    /// <paramref name="error"/> as <c>file:line:col: error FUSnnn: message</c>. Returns the exit
    /// code when something failed, or null with <paramref name="generated"/> set.
    /// </summary>
    public static int? TryCreate(string path, TextWriter error, out GeneratedSource? generated)
    {
        generated = null;
        if (SpecLoader.TryLoad(path, error, out var spec) is { } failed)
        {
            return failed;
        }

        var result = ModuleEmitter.Emit(spec!);
        foreach (var diagnostic in result.Diagnostics)
        {
            error.WriteLine(diagnostic.ToString());
        }

        if (result.HasErrors || result.Source is null)
        {
            return ExitCodes.SpecErrors;
        }

        generated = new GeneratedSource(spec!, result.Source);
        return null;
    }
}
