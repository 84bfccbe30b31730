using System.Reflection;
using System.Runtime.Loader;
using Fusion.Runtime;
using Fusion.Runtime.Models;

namespace PredictFromCompiled;

/// <summary>
/// A model assembly written by <c>fusion compile SPEC -o DIR</c>, loaded into its own collectible
/// load context (Fusion.Runtime and Fusion.Spec resolve to this program's copies, so its model is
/// a <see cref="FusionModel"/> here). Dispose unloads it.
/// </summary>
public sealed class CompiledModel : IDisposable
{
    private readonly AssemblyLoadContext context;

    private CompiledModel(AssemblyLoadContext context, Type type)
    {
        this.context = context;
        Type = type;
    }

    /// <summary>The generated model class (the one public <see cref="FusionModel"/> subclass of the assembly).</summary>
    public Type Type { get; }

    public static CompiledModel Load(string path)
    {
        var context = new AssemblyLoadContext("compiled:" + Path.GetFileName(path), isCollectible: true);
        Assembly assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path));
        var types = assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(FusionModel)) && !t.IsAbstract).ToArray();
        if (types.Length != 1)
        {
            context.Unload();
            throw new InvalidOperationException($"{path}: expected one FusionModel class, found {types.Length}");
        }

        return new CompiledModel(context, types[0]);
    }

    /// <summary>A new model, its parameters initialised from <paramref name="generator"/> (the generated constructor).</summary>
    public FusionModel Create(RandomSource generator) => (FusionModel)Activator.CreateInstance(Type, generator)!;

    public void Dispose() => context.Unload();
}
