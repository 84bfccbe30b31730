namespace Fusion.Runtime.Nn;

/// <summary>
/// PyTorch's <c>nn.Embedding(count, dim, padding_idx)</c>: <c>weight [count, dim]</c> drawn from
/// N(0, 1); the padding row (if any) starts at zero and never receives a gradient.
/// </summary>
public sealed class Embedding : Module<LongTensor, Tensor>
{
    public Embedding(int count, int dim, RandomSource generator, int? paddingIndex = null)
    {
        if (paddingIndex is int p && (p < -count || p >= count)) throw new ArgumentOutOfRangeException(nameof(paddingIndex));
        PaddingIndex = paddingIndex is int q && q < 0 ? q + count : paddingIndex;
        Weight = RegisterParameter("weight", Tensor.Empty(count, dim).DetachFromScope());
        Init.Normal(Weight, generator);
        if (PaddingIndex is int row)
        {
            using var _ = Autograd.NoGrad();
            Weight.AsSpan().Slice(row * dim, dim).Clear();
        }
    }

    public int? PaddingIndex { get; }
    public Tensor Weight { get; }

    public override Tensor Forward(LongTensor input) => Tensor.Embedding(input, Weight, PaddingIndex);
}
