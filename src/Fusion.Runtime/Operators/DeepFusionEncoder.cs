using Fusion.Runtime.Compute;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// CBMF's Deep Fusion Encoder (methods.md section 1), the spec's <c>cbmf</c> op: one module shared by
/// every input, which only its context <c>k_m</c> tells apart. For tokens <c>X [B, N, P]</c> (a vector
/// <c>[B, P]</c> is one token): <c>A = combine(X, k)</c> (<see cref="ContextCombine"/>), then
/// <c>out = A + encoder(norm(A))</c> with <c>norm</c> a LayerNorm(P) and <c>encoder</c> a
/// <see cref="TransformerEncoder"/> of PyTorch's default (post-norm, ReLU) layers, then pooled over
/// the valid tokens (<see cref="SequencePool"/>) to <c>[B, P]</c>. Per-sample lengths mask the padded
/// tokens everywhere (combine's softmax, attention keys, pooling), so padded steps never change a
/// result. Keys: <c>combine.*</c>, <c>norm.*</c>, <c>encoder.layers.i.*</c>.
/// </summary>
public sealed class DeepFusionEncoder : Module
{
    private readonly ContextCombine combine;
    private readonly LayerNorm norm;
    private readonly TransformerEncoder encoder;
    private readonly SequencePool pool;

    public DeepFusionEncoder(int width, ContextCombineMode combine, int layers, int heads, int feedForward, float dropout, PoolMode pool,
        RandomSource generator, bool tanh = true)
    {
        if (pool == PoolMode.Last) throw new ArgumentException("DeepFusionEncoder pools by mean, max, min or first.", nameof(pool));
        Width = width;
        this.combine = RegisterModule("combine", new ContextCombine(width, combine, generator, tanh));
        norm = RegisterModule("norm", new LayerNorm(width));
        encoder = RegisterModule("encoder", new TransformerEncoder(layers, width, heads, generator, feedForward, dropout));
        this.pool = new SequencePool(pool);
    }

    public int Width { get; }

    public ContextCombine Combine => combine;

    public LayerNorm Norm => norm;

    public TransformerEncoder Encoder => encoder;

    public PoolMode Pool => pool.Mode;

    /// <summary>
    /// One pooled <c>[B, P]</c> per input: input m (<c>[B, P]</c> or <c>[B, N_m, P]</c> with lengths
    /// <c>[B]</c> or null) with context <c>contexts[m]</c> <c>[P]</c>.
    /// </summary>
    public Tensor[] Forward(IReadOnlyList<Tensor> inputs, IReadOnlyList<LongTensor?> lengths, IReadOnlyList<Tensor> contexts)
    {
        if (lengths.Count != inputs.Count || contexts.Count != inputs.Count)
            throw new ArgumentException($"DeepFusionEncoder: {inputs.Count} inputs need as many lengths and contexts; got {lengths.Count} and {contexts.Count}.");
        var result = new Tensor[inputs.Count];
        for (int m = 0; m < inputs.Count; m++) result[m] = Forward(inputs[m], lengths[m], contexts[m]);
        return result;
    }

    /// <summary>The pooled <c>[B, P]</c> of one input <paramref name="x"/> with context <paramref name="k"/>.</summary>
    public Tensor Forward(Tensor x, LongTensor? lengths, Tensor k)
    {
        if (x.Rank == 2)
        {
            if (lengths is not null) throw new ArgumentException("DeepFusionEncoder: a vector input has no lengths.", nameof(lengths));
            x = x.Unsqueeze(1);
        }

        if (x.Rank != 3 || x.Size(2) != Width)
            throw new ArgumentException($"DeepFusionEncoder: an input must be [B, {Width}] or [B, N, {Width}]; got {Layout.Format(x.Shape)}.");
        var padded = lengths is null ? null : PaddedMask(lengths, x.Size(0), x.Size(1));
        var a = combine.Forward(x, k, padded);
        var keyPadding = lengths is null ? null : KeyPaddingMask.FromLengths(lengths);
        var output = a + encoder.Forward(norm.Forward(a), keyPadding);
        return pool.Forward(output, lengths);
    }

    /// <summary>1 at the padded steps (at or past each sample's length), 0 at the valid ones: <c>[B, N, 1]</c>.</summary>
    private static Tensor PaddedMask(LongTensor lengths, int batch, int steps)
    {
        if (lengths.Rank != 1 || lengths.Size(0) != batch)
            throw new ArgumentException($"DeepFusionEncoder: lengths must be [{batch}]; got {Layout.Format(lengths.Shape)}.");
        var span = lengths.AsSpan();
        var mask = new float[batch * steps];
        for (int b = 0; b < batch; b++)
        {
            if (span[b] < 0 || span[b] > steps) throw new ArgumentOutOfRangeException(nameof(lengths), span[b], $"Length of sample {b} is outside [0, {steps}].");
            mask.AsSpan(b * steps + (int)span[b], steps - (int)span[b]).Fill(1f);
        }

        return Tensor.FromArray(mask, batch, steps, 1);
    }
}
