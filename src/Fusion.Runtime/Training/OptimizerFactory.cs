using Fusion.Runtime.Models;
using Fusion.Runtime.Optim;

namespace Fusion.Runtime.Training;

/// <summary>
/// Builds the spec's optimiser over a model's trainable parameters: one parameter group per
/// descriptor group in use (each state-dict key mapped by <see cref="ModelDescriptor.GroupOf"/>),
/// in order of first appearance, with the group's learning rate from <c>lr_groups</c> or the
/// optimiser's own. A parameter outside every declared prefix joins the group <c>other</c>.
/// With <c>include</c>, only the parameters whose key it accepts (an adversarial model's two
/// optimisers split its parameters this way, see <see cref="AdversarialScheme"/>).
/// </summary>
public static class OptimizerFactory
{
    public static (Optimizer Optimizer, IReadOnlyList<string> GroupNames) Create(FusionModel model, TrainingSettings settings, Func<string, bool>? include = null)
    {
        var descriptor = model.Descriptor;
        var byGroup = new Dictionary<string, List<Tensor>>();
        var order = new List<string>();
        foreach (var (key, parameter) in model.NamedParameters())
        {
            if (!parameter.RequiresGrad || (include is not null && !include(key))) continue;
            string group = descriptor.ParameterGroups.Any(g => key.StartsWith(g.Prefix, StringComparison.Ordinal))
                ? descriptor.GroupOf(key)
                : "other";
            if (!byGroup.TryGetValue(group, out var list))
            {
                byGroup[group] = list = [];
                order.Add(group);
            }

            list.Add(parameter);
        }

        if (order.Count == 0) throw new TrainingException($"model '{descriptor.Name}' has no trainable parameters");
        var o = settings.Optimizer;
        var groups = order.Select(name =>
        {
            var lr = settings.LrGroups.FirstOrDefault(g => g.Group == name)?.Lr;
            return new ParamGroup(byGroup[name], lr is double value ? (float)value : null);
        }).ToArray();
        Optimizer optimizer = o.Kind switch
        {
            OptimizerKind.Sgd => new Sgd(groups, (float)o.Lr, (float)o.Momentum, weightDecay: (float)o.WeightDecay, nesterov: o.Nesterov),
            OptimizerKind.Adam => new Adam(groups, (float)o.Lr, (float)o.Beta1, (float)o.Beta2, weightDecay: (float)o.WeightDecay),
            OptimizerKind.AdamW => new AdamW(groups, (float)o.Lr, (float)o.Beta1, (float)o.Beta2, weightDecay: (float)o.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), o.Kind, "Unknown optimiser."),
        };
        return (optimizer, order);
    }
}
