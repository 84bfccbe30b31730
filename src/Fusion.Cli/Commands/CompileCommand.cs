using System.CommandLine;
using Fusion.Cli.Compilation;

namespace Fusion.Cli.Commands;

/// <summary>
/// <c>fusion compile SPEC -o DIR</c>: compiles the generated module with Roslyn in-process into
/// <c>DIR/&lt;Model&gt;.dll</c> (written to a temporary file, then renamed) and prints its path.
/// The assembly references Fusion.Runtime and Fusion.Spec; load it beside them.
/// </summary>
public static class CompileCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Argument<string>("spec") { Description = "The spec file (YAML)." };
        var folder = new Option<string>("--output", "-o") { Description = "The folder to write <Model>.dll into.", Required = true };
        var command = new Command("compile", "Compile the model generated from a spec into <Model>.dll.");
        command.Arguments.Add(spec);
        command.Options.Add(folder);
        command.SetAction(parsed => Execute(parsed.GetValue(spec) ?? string.Empty, parsed.GetValue(folder) ?? ".", output, error));
        return command;
    }

    public static int Execute(string path, string folder, TextWriter output, TextWriter error)
    {
        if (GeneratedSource.TryCreate(path, error, out var generated) is { } emitFailed)
        {
            return emitFailed;
        }

        if (ModelCompiler.TryCompile(generated!, error, out var image) is { } compileFailed)
        {
            return compileFailed;
        }

        string target = Path.Combine(folder, ModelCompiler.AssemblyName(generated!.Spec) + ".dll");
        string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(temp, image!);
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            error.WriteLine($"fusion: cannot write {target}: {e.Message}");
            return ExitCodes.SpecErrors;
        }

        output.WriteLine(target);
        return ExitCodes.Ok;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary file is left behind; the target was not touched.
        }
    }
}
