namespace Fusion.Runtime.Optim;

/// <summary>
/// Base of the optimisers: parameter groups, <see cref="Step"/> and <see cref="ZeroGrad"/>.
/// Per-parameter state is allocated once, at construction, and updated in place; a step
/// allocates nothing. Parameters whose gradient is null are skipped (as in PyTorch).
/// </summary>
public abstract partial class Optimizer
{
    private readonly ParamGroup[] groups;

    protected Optimizer(IEnumerable<ParamGroup> paramGroups, float learningRate, float weightDecay)
    {
        if (!(learningRate >= 0f)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "Invalid learning rate.");
        if (!(weightDecay >= 0f)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Invalid weight decay.");
        groups = paramGroups.ToArray();
        if (groups.Length == 0) throw new ArgumentException("An optimiser needs at least one parameter group.");
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var g in groups)
        {
            g.LearningRate = g.RequestedLearningRate ?? learningRate;
            g.InitialLearningRate = g.LearningRate;
            g.WeightDecay = g.RequestedWeightDecay ?? weightDecay;
            foreach (var p in g.Parameters)
                if (!seen.Add(p)) throw new ArgumentException("A parameter appears in more than one parameter group.");
        }
    }

    /// <summary>A single group over <paramref name="parameters"/>.</summary>
    protected static ParamGroup[] OneGroup(IEnumerable<Tensor> parameters) => [new ParamGroup(parameters)];

    public IReadOnlyList<ParamGroup> ParamGroups => groups;

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = Autograd.NoGrad();
        int index = 0;
        foreach (var group in groups)
        {
            var ps = group.Parameters;
            for (int i = 0; i < ps.Count; i++, index++)
            {
                var p = ps[i];
                var grad = p.Grad;
                if (grad is null) continue;
                Update(index, group, p.AsSpan(), grad.AsReadOnlySpan());
            }
        }
    }

    /// <summary>Updates parameter number <paramref name="index"/> (over all groups, in order) in place.</summary>
    protected abstract void Update(int index, ParamGroup group, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>
    /// Allocates one zeroed state array per parameter (over all groups, in order), saved by
    /// <see cref="StateDict"/> as <c>state.{index}.{name}</c>.
    /// </summary>
    protected float[][] NewState(string name)
    {
        var arrays = groups.SelectMany(g => g.Parameters).Select(p => new float[p.Numel]).ToArray();
        stateArrays.Add((name, arrays));
        return arrays;
    }

    /// <summary>Allocates one zeroed counter per parameter, saved as <c>state.{index}.{name}</c> (a scalar).</summary>
    protected int[] NewCounter(string name)
    {
        var counts = new int[groups.Sum(g => g.Parameters.Count)];
        stateCounters.Add((name, counts));
        return counts;
    }

    /// <summary>Clears every parameter's gradient (released with <paramref name="setToNone"/>, PyTorch's default; else zero-filled).</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var g in groups)
        {
            var ps = g.Parameters;
            for (int i = 0; i < ps.Count; i++)
            {
                if (setToNone) ps[i].Grad = null;
                else ps[i].ZeroGrad();
            }
        }
    }
}
