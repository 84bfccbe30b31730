using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Models;

/// <summary>
/// The adversarial part of a model's training: which parameters belong to the adversaries (a
/// second optimiser trains them; the model's own optimiser leaves them alone) and the losses of
/// the adversary steps that run on every batch before the model's own step. Built from the
/// model's <see cref="IAdversarialOperator"/> modules; a term is named <c>&lt;module key&gt;_&lt;term&gt;</c>
/// (<c>ganfusion_d_real</c>), which is how it appears in <c>metrics.jsonl</c> (<c>train_ganfusion_d_real</c>).
/// </summary>
public sealed class AdversarialScheme
{
    private readonly (string Key, IAdversarialOperator Operator)[] operators;

    public AdversarialScheme(IReadOnlyList<(string Key, IAdversarialOperator Operator)> operators)
    {
        if (operators.Count == 0) throw new ArgumentException("An adversarial scheme needs at least one adversarial module.", nameof(operators));
        this.operators = operators.ToArray();
        StepCount = this.operators.Max(o => o.Operator.AdversaryStepCount);
    }

    /// <summary>The scheme of <paramref name="model"/>'s adversarial modules, or null when it has none.</summary>
    public static AdversarialScheme? Find(Module model)
    {
        var found = model.NamedModules()
            .Where(m => m.Module is IAdversarialOperator)
            .Select(m => (m.Name, (IAdversarialOperator)m.Module))
            .ToList();
        return found.Count == 0 ? null : new AdversarialScheme(found);
    }

    /// <summary>How many adversary steps run per batch.</summary>
    public int StepCount { get; }

    /// <summary>Whether the model parameter <paramref name="key"/> (a state-dict key) belongs to an adversary.</summary>
    public bool IsAdversaryParameter(string key)
    {
        foreach (var (prefix, op) in operators)
        {
            if (prefix.Length == 0) return op.IsAdversaryParameter(key);
            if (key.Length > prefix.Length && key[prefix.Length] == '.' && key.StartsWith(prefix, StringComparison.Ordinal)
                && op.IsAdversaryParameter(key[(prefix.Length + 1)..]))
                return true;
        }

        return false;
    }

    /// <summary>The loss of adversary step <paramref name="step"/> over every adversarial module, or null when none has terms for these outputs.</summary>
    public LossBreakdown? Step(int step, FusionOutputs outputs)
    {
        var terms = new List<(string Name, Tensor Value, double Weight)>();
        foreach (var (key, op) in operators)
        {
            if (step >= op.AdversaryStepCount) continue;
            foreach (var (name, value) in op.AdversaryStep(step, outputs, key))
                terms.Add((key.Length == 0 ? name : key.Replace('.', '_') + "_" + name, value, 1.0));
        }

        return terms.Count == 0 ? null : new LossBreakdown(terms);
    }
}
