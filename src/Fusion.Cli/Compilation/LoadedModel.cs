using System.Reflection;
using System.Runtime.Loader;
using Fusion.Runtime;
using Fusion.Runtime.Models;

namespace Fusion.Cli.Compilation;

/// <summary>
/// A spec compiled in memory and loaded into a collectible <see cref="AssemblyLoadContext"/>
/// (Fusion.Runtime and Fusion.Spec resolve to the host's copies, so the model is a
/// <see cref="FusionModel"/> of this process). Dispose unloads it.
/// </summary>
internal sealed class LoadedModel : IDisposable
{
    private readonly AssemblyLoadContext context;

    private LoadedModel(GeneratedSource generated, AssemblyLoadContext context, Type type)
    {
        Generated = generated;
        this.context = context;
        Type = type;
    }

    public GeneratedSource Generated { get; }

    public Type Type { get; }

    /// <summary>A new model initialised from <paramref name="generator"/> (the generated constructor).</summary>
    public FusionModel Create(RandomSource generator) => (FusionModel)Activator.CreateInstance(Type, generator)!;

    /// <summary>Checks, emits, compiles and loads the spec at <paramref name="path"/>; prints every problem and returns its exit code, else null.</summary>
    public static int? TryLoad(string path, TextWriter error, out LoadedModel? model)
    {
        model = null;
        if (GeneratedSource.TryCreate(path, error, out var generated) is { } emitFailed)
        {
            return emitFailed;
        }

        if (ModelCompiler.TryCompile(generated!, error, out var image) is { } compileFailed)
        {
            return compileFailed;
        }

        var context = new AssemblyLoadContext("fusion:" + generated!.Spec.Model, isCollectible: true);
        Assembly assembly;
        using (var stream = new MemoryStream(image!))
        {
            assembly = context.LoadFromStream(stream);
        }

        var type = assembly.GetType(generated.TypeName)
            ?? throw new InvalidOperationException($"the compiled assembly has no type '{generated.TypeName}'");
        model = new LoadedModel(generated, context, type);
        return null;
    }

    public void Dispose() => context.Unload();
}
