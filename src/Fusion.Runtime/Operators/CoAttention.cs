using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// Co-attention (ViLBERT's co-attentional layer, Lu et al. 2019; methods.md section 2), the spec's
/// <c>co_attention</c> op over two inputs a and b, each a vector (one step) or a sequence. Both are
/// projected per step to <c>width</c> by <c>proj.&lt;input&gt;</c> (with bias); then cross attention runs in
/// both directions, named as methods.md's <c>CM_{source->target}</c> (queries from the target, keys and
/// values from the source):
/// <code>
/// a_to_b = CM_{a->b}: b's steps query a   -> [B, N_b, width], keys padded by a's lengths
/// b_to_a = CM_{b->a}: a's steps query b   -> [B, N_a, width], keys padded by b's lengths
/// </code>
/// Each direction is pooled over its query's valid steps (<see cref="SequencePool"/>: mean, max, min,
/// first, last) and the output is <c>[pool(b_to_a); pool(a_to_b)]</c>, <c>[B, 2 * width]</c>: the first
/// half is input a's stream, the second input b's. No residuals and no norms (the state dict has none).
/// </summary>
public sealed class CoAttention : Module
{
    private const string Op = nameof(CoAttention);
    private readonly IReadOnlyList<InputWidth> inputs;
    private readonly ModuleDict<Linear> proj;
    private readonly SequencePool pool;

    public CoAttention(IReadOnlyList<InputWidth> inputs, int width, int heads, float dropout, PoolMode pool, RandomSource generator)
    {
        if (inputs.Count != 2) throw new ArgumentException($"Co-attention takes exactly two inputs; got {inputs.Count}.", nameof(inputs));
        this.inputs = inputs.ToArray();
        this.pool = new SequencePool(pool);
        proj = RegisterModule("proj", new ModuleDict<Linear>());
        foreach (var input in inputs) proj.Add(input.Name, new Linear(input.Width, width, generator));
        AToB = RegisterModule("a_to_b", new MultiheadAttention(width, heads, generator, dropout));
        BToA = RegisterModule("b_to_a", new MultiheadAttention(width, heads, generator, dropout));
    }

    /// <summary><c>CM_{a->b}</c>: the second input's steps query the first input.</summary>
    public MultiheadAttention AToB { get; }

    /// <summary><c>CM_{b->a}</c>: the first input's steps query the second input.</summary>
    public MultiheadAttention BToA { get; }

    public PoolMode Pool => pool.Mode;

    /// <summary>The projection of input <paramref name="index"/>.</summary>
    public Linear Projection(int index) => proj[index];

    /// <summary>
    /// <paramref name="xs"/> <c>[a, b]</c>, each <c>[B, d]</c> or <c>[B, N, d]</c>, with optional lengths
    /// <c>[B]</c> per input (null entries: every step valid). Returns <c>[B, 2 * width]</c>.
    /// </summary>
    public Tensor Forward(IReadOnlyList<Tensor> xs, IReadOnlyList<LongTensor?>? lengths = null)
    {
        OperatorChecks.Count(Op, xs, 2);
        int batch = xs[0].Size(0);
        var a = proj[0].Forward(AttentionSteps.AsSequence(Op, inputs[0], xs[0], batch));
        var b = proj[1].Forward(AttentionSteps.AsSequence(Op, inputs[1], xs[1], batch));
        var aLengths = AttentionSteps.LengthsOf(lengths, 0, 2, Op);
        var bLengths = AttentionSteps.LengthsOf(lengths, 1, 2, Op);
        var aStream = BToA.Forward(a, b, b, AttentionSteps.Padding(bLengths), needWeights: false).Output;   // [B, N_a, width]
        var bStream = AToB.Forward(b, a, a, AttentionSteps.Padding(aLengths), needWeights: false).Output;   // [B, N_b, width]
        return Tensor.Concat(-1, pool.Forward(aStream, aLengths), pool.Forward(bStream, bLengths));
    }
}
