namespace Fusion.Runtime.Models;

/// <summary>
/// A model's loss: every named term (its unweighted value and its weight) and
/// <c>Total = sum weight * value</c>, the scalar to call Backward on.
/// </summary>
public sealed class LossBreakdown
{
    public LossBreakdown(IReadOnlyList<(string Name, Tensor Value, double Weight)> terms)
    {
        if (terms.Count == 0) throw new ArgumentException("A loss needs at least one term.", nameof(terms));
        Terms = terms.ToArray();
        Tensor? total = null;
        foreach (var (name, value, weight) in Terms)
        {
            if (value.Numel != 1) throw new ArgumentException($"Loss term '{name}' is not a scalar.", nameof(terms));
            var weighted = value.Reshape() * (float)weight;
            total = total is null ? weighted : total + weighted;
        }

        Total = total!;
    }

    public Tensor Total { get; }

    public IReadOnlyList<(string Name, Tensor Value, double Weight)> Terms { get; }

    /// <summary>The unweighted value of term <paramref name="name"/>.</summary>
    public Tensor this[string name]
    {
        get
        {
            foreach (var term in Terms)
            {
                if (term.Name == name) return term.Value;
            }

            throw new KeyNotFoundException($"No loss term '{name}' (terms: {string.Join(", ", Terms.Select(t => t.Name))}).");
        }
    }
}
