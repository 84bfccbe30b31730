using Fusion.Runtime.Data;

namespace Fusion.Runtime.Models;

/// <summary>
/// What the trainer, the data layer and the CLI need to know about a generated model: its
/// modalities and targets as data descriptors, its heads with their kinds, the parameter group
/// of every state-dict prefix, and the training and data settings copied from the spec.
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
