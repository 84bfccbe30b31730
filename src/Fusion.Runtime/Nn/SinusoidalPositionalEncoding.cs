namespace Fusion.Runtime.Nn;

/// <summary>
/// The fixed positional encoding of "Attention is all you need", added to a sequence
/// <c>[..., N, d]</c>: <c>PE[pos, 2i] = sin(pos / 10000^(2i/d))</c>, <c>PE[pos, 2i+1] = cos(pos / 10000^(2i/d))</c>
/// (an odd d ends with a sine). No parameters and no state-dict entries; the table is computed in
/// double, kept, and extended when a longer sequence arrives. The gradient passes straight through.
/// </summary>
public sealed class SinusoidalPositionalEncoding : Module<Tensor, Tensor>
{
    private Tensor? table;

    public SinusoidalPositionalEncoding(int dim)
    {
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "The encoding width must be positive.");
        Dim = dim;
    }

    public int Dim { get; }

    /// <summary>The table <c>[length, dim]</c> (a new tensor).</summary>
    public static Tensor Table(int length, int dim)
    {
        var values = new float[length * dim];
        for (int pos = 0; pos < length; pos++)
            for (int j = 0; j < dim; j++)
            {
                double angle = pos / Math.Pow(10000.0, (j - (j & 1)) / (double)dim);
                values[pos * dim + j] = (float)((j & 1) == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        return Tensor.FromArray(values, length, dim);
    }

    /// <summary><paramref name="input"/> <c>[..., N, Dim]</c> plus the first N rows of the table.</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank < 2 || input.Size(-1) != Dim)
            throw new ArgumentException($"Positional encoding of width {Dim} takes [..., N, {Dim}]; got rank {input.Rank}, width {(input.Rank == 0 ? 0 : input.Size(-1))}.");
        int length = input.Size(-2);
        if (table is null || table.Size(0) < length)
        {
            var old = table;
            table = Table(Math.Max(length, 2 * (old?.Size(0) ?? 0)), Dim).DetachFromScope();
            old?.Dispose();
        }
        return input + table.Slice(0, 0, length);
    }
}
