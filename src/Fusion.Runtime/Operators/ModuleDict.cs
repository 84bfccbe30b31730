using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// PyTorch's <c>nn.ModuleDict</c>: submodules by name, in insertion order (keys <c>name.*</c>),
/// with no forward of its own. Per-input modules of a fusion operator live in one
/// (<c>n.heads.&lt;input&gt;</c>, <c>n.hidden.&lt;input&gt;</c>, ...).
/// </summary>
public sealed class ModuleDict<T> : Module where T : Module
{
    private readonly List<(string Name, T Module)> items = new();

    public int Count => items.Count;

    public IEnumerable<string> Names => items.Select(i => i.Name);

    public T this[int index] => items[index].Module;

    public T this[string name] =>
        items.Find(i => i.Name == name).Module ?? throw new KeyNotFoundException($"No module '{name}' (have: {string.Join(", ", Names)}).");

    public ModuleDict<T> Add(string name, T module)
    {
        RegisterModule(name, module);
        items.Add((name, module));
        return this;
    }
}
