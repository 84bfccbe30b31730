using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// CBMF's shared context MLP (methods.md section 1): a Linear for each hidden width and one to
/// <c>out</c>, ReLU between them (none after the last), then LayerNorm(<c>out</c>) (eps 1e-5).
/// Keys: <c>layers.i.weight</c>, <c>layers.i.bias</c> for the i-th Linear, then <c>norm.weight</c>,
/// <c>norm.bias</c>. Inputs <c>[..., in]</c>.
/// </summary>
public sealed class ContextMlp : Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly LayerNorm norm;

    public ContextMlp(int inFeatures, IReadOnlyList<int> hidden, int outFeatures, RandomSource generator)
    {
        layers = RegisterModule("layers", new ModuleList<Linear>());
        int width = inFeatures;
        foreach (var h in hidden)
        {
            layers.Append(new Linear(width, h, generator));
            width = h;
        }

        layers.Append(new Linear(width, outFeatures, generator));
        norm = RegisterModule("norm", new LayerNorm(outFeatures));
    }

    public IReadOnlyList<Linear> Layers => layers;

    public LayerNorm Norm => norm;

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x);
            if (i < layers.Count - 1) x = x.Relu();
        }

        return norm.Forward(x);
    }
}
