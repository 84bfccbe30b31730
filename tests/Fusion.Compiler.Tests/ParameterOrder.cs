using Fusion.Spec;

namespace Fusion.Compiler.Tests;

/// <summary>
/// The order in which a runtime <c>Module</c> (like PyTorch's) lists a state dict: at every module,
/// its own tensors first, then each child's in order of first appearance. <c>ParameterLayout</c>
/// follows the spec language's state-dict column instead, which differs where an op's own tensor
/// comes after its per-input children (<c>late</c>'s <c>weights</c> after <c>heads.*</c>,
/// <c>lowrank</c>'s <c>fusion_weights</c>/<c>fusion_bias</c> after <c>factors.*</c>); for every other
/// op the two orders agree. The keys and shapes are compared exactly, in this order.
/// </summary>
internal static class ParameterOrder
{
    public static IReadOnlyList<ParameterInfo> ModuleOrder(IEnumerable<ParameterInfo> layout)
    {
        var result = new List<ParameterInfo>();
        Visit(layout.Select(p => (Path: p.Key.Split('.'), Info: p)).ToList(), 0, result);
        return result;
    }

    private static void Visit(List<(string[] Path, ParameterInfo Info)> items, int depth, List<ParameterInfo> result)
    {
        result.AddRange(items.Where(i => i.Path.Length == depth + 1).Select(i => i.Info));
        foreach (var group in items.Where(i => i.Path.Length > depth + 1).GroupBy(i => i.Path[depth]))
        {
            Visit(group.ToList(), depth + 1, result);
        }
    }
}
