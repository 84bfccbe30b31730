namespace Fusion.Runtime.Optim;

/// <summary>
/// A set of parameters sharing hyper-parameters (PyTorch's param group). A null learning rate or
/// weight decay takes the optimiser's default. Schedulers change <see cref="LearningRate"/>.
/// </summary>
public sealed class ParamGroup
{
    public ParamGroup(IEnumerable<Tensor> parameters, float? learningRate = null, float? weightDecay = null)
    {
        Parameters = parameters.ToArray();
        foreach (var p in Parameters)
            if (!p.IsLeaf || !p.RequiresGrad) throw new ArgumentException("Optimised tensors must be leaves that require a gradient.");
        RequestedLearningRate = learningRate;
        RequestedWeightDecay = weightDecay;
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The current learning rate (set by schedulers).</summary>
    public float LearningRate { get; set; }

    /// <summary>The learning rate the group started with (PyTorch's <c>initial_lr</c>); schedulers scale it.</summary>
    public float InitialLearningRate { get; internal set; }

    public float WeightDecay { get; set; }

    internal float? RequestedLearningRate { get; }
    internal float? RequestedWeightDecay { get; }
}
