using Fusion.Runtime.Compute;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Optim;

/// <summary>Saving and restoring an optimiser's state (to resume training from a checkpoint).</summary>
public abstract partial class Optimizer
{
    private readonly List<(string Name, float[][] Arrays)> stateArrays = new();
    private readonly List<(string Name, int[] Counts)> stateCounters = new();

    /// <summary>
    /// Copies of the hyper-parameters and state: <c>param_groups.{g}.lr</c>, <c>.initial_lr</c>,
    /// <c>.weight_decay</c> (scalars), then per parameter (numbered over all groups, in order)
    /// <c>state.{i}.{name}</c> with the parameter's shape (e.g. <c>exp_avg</c>, <c>exp_avg_sq</c>,
    /// <c>momentum_buffer</c>) and scalar counters (e.g. <c>step</c>). The tensors belong to no dispose scope.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var dict = new OrderedDictionary<string, Tensor>();
        for (int g = 0; g < groups.Length; g++)
        {
            dict.Add($"param_groups.{g}.lr", Tensor.Scalar(groups[g].LearningRate).DetachFromScope());
            dict.Add($"param_groups.{g}.initial_lr", Tensor.Scalar(groups[g].InitialLearningRate).DetachFromScope());
            dict.Add($"param_groups.{g}.weight_decay", Tensor.Scalar(groups[g].WeightDecay).DetachFromScope());
        }
        var parameters = AllParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            foreach (var (name, arrays) in stateArrays)
            {
                var t = Tensor.Empty(parameters[i].Shape).DetachFromScope();
                arrays[i].CopyTo(t.AsSpan());
                dict.Add($"state.{i}.{name}", t);
            }
            foreach (var (name, counts) in stateCounters)
                dict.Add($"state.{i}.{name}", Tensor.Scalar(counts[i]).DetachFromScope());
        }
        return dict;
    }

    /// <summary>
    /// Restores what <see cref="StateDict"/> saved, for an optimiser built over parameters of the
    /// same shapes in the same order. Every missing key, unexpected key and shape mismatch is
    /// reported in one <see cref="StateDictMismatchException"/> before anything is changed.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = StateDict();
        try
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            var mismatched = own.Where(kv => state.TryGetValue(kv.Key, out var t) && !Layout.SameShape(t.Shape, kv.Value.Shape))
                .Select(kv => (kv.Key, kv.Value.Shape.ToArray(), state[kv.Key].Shape.ToArray())).ToList();
            if (missing.Count > 0 || unexpected.Count > 0 || mismatched.Count > 0)
                throw new StateDictMismatchException(GetType().Name, missing, unexpected, mismatched);
        }
        finally
        {
            foreach (var t in own.Values) t.Dispose();
        }

        for (int g = 0; g < groups.Length; g++)
        {
            groups[g].LearningRate = state[$"param_groups.{g}.lr"].Item();
            groups[g].InitialLearningRate = state[$"param_groups.{g}.initial_lr"].Item();
            groups[g].WeightDecay = state[$"param_groups.{g}.weight_decay"].Item();
        }
        int count = groups.Sum(g => g.Parameters.Count);
        for (int i = 0; i < count; i++)
        {
            foreach (var (name, arrays) in stateArrays)
                state[$"state.{i}.{name}"].Contiguous().AsReadOnlySpan().CopyTo(arrays[i]);
            foreach (var (name, counts) in stateCounters)
                counts[i] = (int)MathF.Round(state[$"state.{i}.{name}"].Item());
        }
    }

    private Tensor[] AllParameters() => groups.SelectMany(g => g.Parameters).ToArray();
}
