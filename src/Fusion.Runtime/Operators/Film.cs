using Fusion.Runtime.Compute;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Feature-wise linear modulation (Perez et al. 2018; methods.md sections 0 and 2), the spec's
/// <c>film</c> op: <c>gamma(c) * x + beta(c)</c> with two separate Linear layers <c>gamma</c> and
/// <c>beta</c> (<c>[d, c]</c>); x is <c>[B, d]</c> or a sequence <c>[B, N, d]</c> (modulated per step),
/// the condition c is <c>[B, c]</c>.
/// </summary>
public sealed class Film : Module
{
    private readonly Linear gamma;
    private readonly Linear beta;

    public Film(int features, int conditionFeatures, RandomSource generator)
    {
        gamma = RegisterModule("gamma", new Linear(conditionFeatures, features, generator));
        beta = RegisterModule("beta", new Linear(conditionFeatures, features, generator));
    }

    public Tensor Forward(Tensor x, Tensor condition)
    {
        if (condition.Rank != 2 || x.Rank is not (2 or 3) || x.Size(0) != condition.Size(0))
            throw new ArgumentException($"Film expects x [B, d] or [B, N, d] and a condition [B, c]; got {Layout.Format(x.Shape)} and {Layout.Format(condition.Shape)}.");
        var g = gamma.Forward(condition);
        var b = beta.Forward(condition);
        if (x.Rank == 3)
        {
            g = g.Unsqueeze(1);
            b = b.Unsqueeze(1);
        }

        return g * x + b;
    }
}
