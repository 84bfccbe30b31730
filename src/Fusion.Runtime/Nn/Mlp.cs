namespace Fusion.Runtime.Nn;

/// <summary>Normalisation after each hidden Linear of an <see cref="Mlp"/>.</summary>
public enum MlpNorm { None, Layer, Batch }

/// <summary>
/// The spec's <c>mlp</c> op: for each hidden width a Linear, the optional norm, the activation and
/// dropout; then the output Linear (followed by the activation only with
/// <paramref name="finalActivation"/>). State-dict keys as docs/spec-language.md: <c>layers.i.weight</c>,
/// <c>layers.i.bias</c> for the i-th Linear, then <c>norms.i.*</c> for the norm after hidden layer i.
/// Inputs <c>[..., in]</c>; a batch norm sees the leading dimensions flattened into its batch.
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly ModuleList<Module<Tensor, Tensor>>? norms;
    private readonly Dropout? dropout;

    public Mlp(int inFeatures, IReadOnlyList<int> hidden, int outFeatures, RandomSource generator,
        Activation activation = Activation.Relu, float dropout = 0f, MlpNorm norm = MlpNorm.None, bool finalActivation = false)
    {
        Activation = activation;
        FinalActivation = finalActivation;
        layers = RegisterModule("layers", new ModuleList<Linear>());
        int width = inFeatures;
        foreach (var h in hidden)
        {
            layers.Append(new Linear(width, h, generator));
            width = h;
        }
        layers.Append(new Linear(width, outFeatures, generator));
        if (norm != MlpNorm.None)
        {
            norms = RegisterModule("norms", new ModuleList<Module<Tensor, Tensor>>());
            foreach (var h in hidden) norms.Append(norm == MlpNorm.Layer ? new LayerNorm(h) : new BatchNorm1d(h));
        }
        if (dropout > 0f) this.dropout = RegisterModule("dropout", new Dropout(dropout, generator)); // no state: adds no keys
    }

    public Activation Activation { get; }
    public bool FinalActivation { get; }
    public IReadOnlyList<Linear> Layers => layers;

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        int last = layers.Count - 1;
        for (int i = 0; i < last; i++)
        {
            x = layers[i].Forward(x);
            if (norms is not null) x = ApplyNorm(norms[i], x);
            x = Activation.Apply(x);
            if (dropout is not null) x = dropout.Forward(x);
        }
        x = layers[last].Forward(x);
        return FinalActivation ? Activation.Apply(x) : x;
    }

    private static Tensor ApplyNorm(Module<Tensor, Tensor> norm, Tensor x)
    {
        if (norm is not BatchNorm1d || x.Rank <= 2) return norm.Forward(x);
        var shape = x.Shape.ToArray();
        return norm.Forward(x.Reshape(-1, shape[^1])).Reshape(shape);
    }
}
