using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// PyTorch's <c>nn.ParameterDict</c>: trainable tensors by name, in insertion order (keys
/// <c>name</c>), e.g. LMF's <c>factors.&lt;input&gt;</c>.
/// </summary>
public sealed class ParameterDict : Module
{
    private readonly List<(string Name, Tensor Tensor)> items = new();

    public int Count => items.Count;

    public Tensor this[int index] => items[index].Tensor;

    public ParameterDict Add(string name, Tensor parameter)
    {
        items.Add((name, RegisterParameter(name, parameter)));
        return this;
    }
}
