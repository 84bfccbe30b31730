using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Blocks;

/// <summary>
/// A stack of Linear layers (<c>layers.i</c>) with an optional norm after each hidden layer
/// (<c>norms.i</c>): the layout of <c>mlp</c> nodes, heads and the context MLP.
/// </summary>
internal static class MlpBlock
{
    public static void AddParameters(ParameterSink sink, int inWidth, IEnumerable<int> hidden, int outWidth, bool norms)
    {
        int width = inWidth;
        int i = 0;
        foreach (var h in hidden)
        {
            sink.Linear($"layers.{i}", h, width);
            width = h;
            i++;
        }

        sink.Linear($"layers.{i}", outWidth, width);
        if (norms)
        {
            i = 0;
            foreach (var h in hidden)
            {
                sink.Norm($"norms.{i}", h);
                i++;
            }
        }
    }

    public static void AddBatchNormBuffers(ParameterSink sink, IEnumerable<int> hidden)
    {
        int i = 0;
        foreach (var h in hidden)
        {
            sink.BatchNormBuffers($"norms.{i}", h);
            i++;
        }
    }

    /// <summary>The output shape of a per-token layer: <c>[out]</c> for a vector, <c>[N, out]</c> for a sequence.</summary>
    public static Shape PerToken(Shape input, int outWidth) =>
        input.Rank == 1 ? Shape.Of(outWidth) : Shape.Of(input[0], outWidth);
}
