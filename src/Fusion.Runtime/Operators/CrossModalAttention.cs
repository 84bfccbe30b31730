using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// MulT's crossmodal attention (Tsai et al. 2019; methods.md section 2), the spec's <c>cross_attention</c>
/// op over inputs <c>[target, source_1, ..., source_S]</c>. Every input is projected per step to
/// <c>width</c> by a bias-free matrix <c>proj.&lt;input&gt;</c> (MulT's 1x1 convolution); for each source
/// s a stack <c>blocks.&lt;s&gt;</c> of pre-LN <see cref="CrossModalBlock"/>s (<see cref="CrossModalEncoder"/>)
/// computes <c>CM_{s->target}</c>: queries from the running target, keys and values from the projected
/// source, <c>softmax(Q K^T / sqrt(width / heads)) V</c>, FF <c>4 * width</c>. The S outputs are
/// concatenated on the feature axis in source order: <c>[B, N_target, S * width]</c>.
/// A vector input <c>[B, d]</c> is one step. Source steps beyond the source's lengths are ignored as
/// keys; the output has the target's steps (and so its lengths): padded target steps are computed
/// but never influence a valid one.
/// </summary>
public sealed class CrossModalAttention : Module
{
    private const string Op = nameof(CrossModalAttention);
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly ModuleDict<Linear> proj;
    private readonly ModuleDict<CrossModalEncoder> blocks;

    public CrossModalAttention(IReadOnlyList<InputWidth> inputs, int width, int heads, int layers, float dropout, RandomSource generator)
    {
        if (inputs.Count < 2) throw new ArgumentException("Crossmodal attention needs a target and at least one source.", nameof(inputs));
        this.inputs = inputs.ToArray();
        Width = width;
        proj = RegisterModule("proj", new ModuleDict<Linear>());
        foreach (var input in inputs) proj.Add(input.Name, new Linear(input.Width, width, generator, bias: false));
        blocks = RegisterModule("blocks", new ModuleDict<CrossModalEncoder>());
        foreach (var source in inputs.Skip(1)) blocks.Add(source.Name, new CrossModalEncoder(layers, width, heads, generator, dropout));
    }

    /// <summary>The width every input is projected to; the output has <c>sources * Width</c> features.</summary>
    public int Width { get; }

    /// <summary>The projection of input <paramref name="index"/> (0: the target).</summary>
    public Linear Projection(int index) => proj[index];

    /// <summary>The block stack of source <paramref name="index"/> (0: the first source, input 1).</summary>
    public CrossModalEncoder Blocks(int index) => blocks[index];

    /// <summary>
    /// <paramref name="xs"/> <c>[target, sources...]</c>, each <c>[B, d]</c> or <c>[B, N, d]</c>, with
    /// optional per-input lengths <c>[B]</c> (null entries: every step valid). Returns <c>[B, N_target, S * width]</c>.
    /// </summary>
    public Tensor Forward(IReadOnlyList<Tensor> xs, IReadOnlyList<LongTensor?>? lengths = null)
    {
        OperatorChecks.Count(Op, xs, inputs.Count);
        int batch = xs[0].Size(0);
        var target = proj[0].Forward(AttentionSteps.AsSequence(Op, inputs[0], xs[0], batch));
        var outputs = new Tensor[inputs.Count - 1];
        for (int s = 1; s < inputs.Count; s++)
        {
            var source = proj[s].Forward(AttentionSteps.AsSequence(Op, inputs[s], xs[s], batch));
            var padding = AttentionSteps.Padding(AttentionSteps.LengthsOf(lengths, s, inputs.Count, Op));
            outputs[s - 1] = blocks[s - 1].Forward(target, source, padding);
        }

        return outputs.Length == 1 ? outputs[0] : Tensor.Concat(outputs, -1);
    }
}
