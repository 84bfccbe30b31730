namespace Fusion.Runtime.Nn;

/// <summary>PyTorch's <c>nn.ModuleList</c>: an indexed holder of submodules (keys "0", "1", ...), with no forward of its own.</summary>
public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    private readonly List<T> items = new();

    public ModuleList(params IEnumerable<T> modules)
    {
        foreach (var m in modules) Append(m);
    }

    public int Count => items.Count;

    public T this[int index] => items[index];

    public ModuleList<T> Append(T module)
    {
        RegisterModule(items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        items.Add(module);
        return this;
    }

    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
