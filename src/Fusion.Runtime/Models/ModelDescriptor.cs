using Fusion.Runtime.Data;

namespace Fusion.Runtime.Models;

/// <summary>
/// What the trainer, the data layer and the CLI need to know about a generated model: its
/// modalities and targets as data descriptors, its heads with their kinds, the parameter group
/// of every state-dict prefix, the training and data settings copied from the spec, and the
/// pairs of embedding heads scored by recall@k (<see cref="RetrievalPairs"/>).
/// </summary>
public sealed record ModelDescriptor(
    string Name,
    IReadOnlyList<ModalityDescriptor> Modalities,
    IReadOnlyList<TargetDescriptor> Targets,
    IReadOnlyList<HeadDescriptor> Heads,
    IReadOnlyList<ParameterGroupDescriptor> ParameterGroups,
    TrainingSettings Training,
    DataSettings Data)
{
    /// <summary>The data schema of the model's modalities and targets.</summary>
    public DataSchema Schema => new(Modalities, Targets);

    /// <summary>
    /// The pairs of embedding heads that a <c>between</c> loss ties together, each once, in the
    /// order of the losses; empty when the model has none.
    /// </summary>
    public IReadOnlyList<RetrievalPair> RetrievalPairs { get; init; } = [];

    /// <summary>The parameter group of state-dict key <paramref name="key"/>.</summary>
    public string GroupOf(string key)
    {
        foreach (var group in ParameterGroups)
        {
            if (key.StartsWith(group.Prefix, StringComparison.Ordinal)) return group.Group;
        }

        throw new KeyNotFoundException($"No parameter group for '{key}'.");
    }
}
