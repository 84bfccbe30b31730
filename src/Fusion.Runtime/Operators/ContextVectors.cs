using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// CBMF's context vectors (methods.md section 1), the spec's <c>context</c> section: one learnable
/// <c>c_m [width]</c> per modality, initialised N(0, <c>std</c>), turned into <c>k_m [out]</c> by one
/// <see cref="ContextMlp"/> shared by every modality. Keys: <c>vectors.&lt;modality&gt;</c> in the
/// declared order, then <c>mlp.*</c>. The vectors are drawn first, then the MLP's weights.
/// </summary>
public sealed class ContextVectors : Module
{
    private readonly ParameterDict vectors;
    private readonly ContextMlp mlp;

    public ContextVectors(IReadOnlyList<string> modalities, int width, float std, IReadOnlyList<int> hidden, int outFeatures, RandomSource generator)
    {
        if (modalities.Count == 0) throw new ArgumentException("ContextVectors needs at least one modality.", nameof(modalities));
        if (width <= 0 || outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"ContextVectors(width {width}, out {outFeatures}): sizes must be positive.");
        Modalities = modalities.ToArray();
        vectors = RegisterModule("vectors", new ParameterDict());
        foreach (var modality in modalities) vectors.Add(modality, Init.Normal(Tensor.Empty(width), generator, 0f, std));
        mlp = RegisterModule("mlp", new ContextMlp(width, hidden, outFeatures, generator));
    }

    /// <summary>The modalities, in the order of <see cref="Forward"/>'s results.</summary>
    public IReadOnlyList<string> Modalities { get; }

    /// <summary>The raw context vector <c>c_m</c> of the <paramref name="index"/>-th modality.</summary>
    public Tensor Vector(int index) => vectors[index];

    public ContextMlp Mlp => mlp;

    /// <summary><c>k_m = mlp(c_m)</c> <c>[out]</c> for every modality, in <see cref="Modalities"/> order (one MLP pass for all).</summary>
    public Tensor[] Forward()
    {
        var all = new Tensor[vectors.Count];
        for (int m = 0; m < all.Length; m++) all[m] = vectors[m];
        var k = mlp.Forward(Tensor.Stack(all, 0));                                 // [M, out]
        var result = new Tensor[all.Length];
        for (int m = 0; m < result.Length; m++) result[m] = k.Select(0, m);
        return result;
    }
}
