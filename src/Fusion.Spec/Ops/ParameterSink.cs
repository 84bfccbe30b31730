using System.Collections.Immutable;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops;

/// <summary>Collects state-dict entries under a key prefix.</summary>
internal sealed class ParameterSink
{
    private readonly ImmutableArray<ParameterInfo>.Builder items;
    private readonly string prefix;

    public ParameterSink()
        : this(ImmutableArray.CreateBuilder<ParameterInfo>(), string.Empty)
    {
    }

    private ParameterSink(ImmutableArray<ParameterInfo>.Builder items, string prefix)
    {
        this.items = items;
        this.prefix = prefix;
    }

    /// <summary>A sink that writes into the same list with <c>prefix + name + "."</c> before every key.</summary>
    public ParameterSink Scope(string name) => new(items, prefix + name + ".");

    public void Add(string key, params int[] dims) => items.Add(new ParameterInfo(prefix + key, Shape.Of(dims)));

    /// <summary><c>name.weight [out, in]</c> and, with a bias, <c>name.bias [out]</c>.</summary>
    public void Linear(string name, int outWidth, int inWidth, bool bias = true)
    {
        Add(Join(name, "weight"), outWidth, inWidth);
        if (bias)
        {
            Add(Join(name, "bias"), outWidth);
        }
    }

    /// <summary><c>name.weight [width]</c>, <c>name.bias [width]</c> (LayerNorm or BatchNorm affine).</summary>
    public void Norm(string name, int width)
    {
        Add(Join(name, "weight"), width);
        Add(Join(name, "bias"), width);
    }

    /// <summary>BatchNorm's buffers: <c>running_mean</c>, <c>running_var</c> <c>[width]</c>, <c>num_batches_tracked []</c>.</summary>
    public void BatchNormBuffers(string name, int width)
    {
        Add(Join(name, "running_mean"), width);
        Add(Join(name, "running_var"), width);
        Add(Join(name, "num_batches_tracked"));
    }

    private static string Join(string name, string leaf) => name.Length == 0 ? leaf : name + "." + leaf;

    /// <summary>
    /// The entries in the order a PyTorch-style module lists its state dict: at every level of the
    /// dotted keys, the tensors owned at that level first, then each child's entries, children in
    /// order of first appearance. Ops may therefore add their entries in the order their doc lists them.
    /// </summary>
    public ImmutableArray<ParameterInfo> ToImmutable()
    {
        var ordered = ImmutableArray.CreateBuilder<ParameterInfo>(items.Count);
        AddInModuleOrder(items.Select(p => (Path: p.Key.Split('.'), Info: p)).ToList(), 0, ordered);
        return ordered.MoveToImmutable();
    }

    private static void AddInModuleOrder(List<(string[] Path, ParameterInfo Info)> entries, int depth, ImmutableArray<ParameterInfo>.Builder ordered)
    {
        ordered.AddRange(entries.Where(e => e.Path.Length == depth + 1).Select(e => e.Info));
        foreach (var child in entries.Where(e => e.Path.Length > depth + 1).GroupBy(e => e.Path[depth], StringComparer.Ordinal))
        {
            AddInModuleOrder(child.ToList(), depth + 1, ordered);
        }
    }
}
