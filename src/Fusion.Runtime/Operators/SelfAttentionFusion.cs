using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Self-attention fusion (methods.md section 2), the spec's <c>self_attention</c> op: each input vector
/// <c>[B, d_m]</c> projected to <c>width</c> by <c>proj.&lt;input&gt;</c> (with bias) is one token; the learned
/// <c>modality_embedding [M, width]</c> (row m for input m) is added; a <see cref="TransformerEncoder"/>
/// <c>encoder</c> (PyTorch's post-norm ReLU layers, the given FF width) runs over the M tokens, which are
/// then pooled: <c>Mean</c> over the tokens, the <c>First</c> token, or <c>flatten</c> (tokens concatenated
/// in input order, <c>[B, M * width]</c>). The embedding starts as N(0, 0.02).
/// </summary>
public sealed class SelfAttentionFusion : Module
{
    private const string Op = nameof(SelfAttentionFusion);
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly ModuleDict<Linear> proj;
    private readonly int width;

    public SelfAttentionFusion(IReadOnlyList<InputWidth> inputs, int width, int heads, int layers, int feedForward, float dropout,
        SelfAttentionPool pool, RandomSource generator)
    {
        if (inputs.Count == 0) throw new ArgumentException("Self-attention fusion needs at least one input.", nameof(inputs));
        this.inputs = inputs.ToArray();
        this.width = width;
        Pool = pool;
        proj = RegisterModule("proj", new ModuleDict<Linear>());
        foreach (var input in inputs) proj.Add(input.Name, new Linear(input.Width, width, generator));
        ModalityEmbedding = RegisterParameter("modality_embedding", Init.Normal(Tensor.Empty(inputs.Count, width), generator, 0f, 0.02f));
        Encoder = RegisterModule("encoder", new TransformerEncoder(layers, width, heads, generator, feedForward, dropout));
    }

    public SelfAttentionPool Pool { get; }

    /// <summary>The learned embedding <c>[M, width]</c> added to the tokens.</summary>
    public Tensor ModalityEmbedding { get; }

    public TransformerEncoder Encoder { get; }

    /// <summary>The projection of input <paramref name="index"/>.</summary>
    public Linear Projection(int index) => proj[index];

    /// <summary>The fused vector: <c>[B, width]</c>, or <c>[B, M * width]</c> when flattened.</summary>
    public Tensor Forward(IReadOnlyList<Tensor> xs)
    {
        int batch = OperatorChecks.Vectors(Op, xs, inputs);
        var tokens = new Tensor[xs.Count];
        for (int m = 0; m < xs.Count; m++) tokens[m] = proj[m].Forward(xs[m]);
        var h = Encoder.Forward(Tensor.Stack(tokens, 1) + ModalityEmbedding, null);   // [B, M, width]
        return Pool switch
        {
            SelfAttentionPool.Mean => h.Mean(1),
            SelfAttentionPool.First => h.Select(1, 0),
            _ => h.Reshape(batch, xs.Count * width),
        };
    }
}
