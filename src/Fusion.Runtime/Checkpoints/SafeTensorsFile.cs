using System.Diagnostics.CodeAnalysis;

namespace Fusion.Runtime.Checkpoints;

/// <summary>The contents of a safetensors file: its metadata and its tensors in the order their data is stored.</summary>
public sealed class SafeTensorsFile
{
    private readonly Dictionary<string, NamedArray> byName;

    internal SafeTensorsFile(string path, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<NamedArray> tensors)
    {
        Path = path;
        Metadata = metadata;
        Tensors = tensors;
        byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file that was read.</summary>
    public string Path { get; }

    /// <summary>The header's "__metadata__" map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>All tensors, in the order of their data in the file.</summary>
    public IReadOnlyList<NamedArray> Tensors { get; }

    public IEnumerable<string> Names => Tensors.Select(t => t.Name);

    public bool Contains(string name) => byName.ContainsKey(name);

    public bool TryGet(string name, [MaybeNullWhen(false)] out NamedArray tensor) => byName.TryGetValue(name, out tensor);

    /// <summary>The tensor with this name; throws <see cref="KeyNotFoundException"/> naming the file when absent.</summary>
    public NamedArray this[string name] =>
        byName.TryGetValue(name, out NamedArray? tensor)
            ? tensor
            : throw new KeyNotFoundException($"{Path}: no tensor named '{name}' (the file has {Tensors.Count}: {string.Join(", ", Names.Take(10))}{(Tensors.Count > 10 ? ", ..." : "")}).");
}
