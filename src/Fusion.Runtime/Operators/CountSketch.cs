using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Operators;

/// <summary>
/// The count sketch <c>y = x S</c> of rows <c>x [B, d]</c> into <c>[B, D]</c>, where <c>S [d, D]</c>
/// has one <c>sign_i = +-1</c> at column <c>index_i</c> of every row i: <c>y[b, index_i] += sign_i x[b, i]</c>.
/// A fused op: the dense S is never built; backward is <c>dx[b, i] = sign_i g[b, index_i]</c>.
/// </summary>
public static class CountSketch
{
    public static Tensor Apply(Tensor x, int[] index, float[] sign, int outFeatures)
    {
        if (x.Rank != 2 || x.Size(1) != index.Length || sign.Length != index.Length)
            throw new ArgumentException($"CountSketch expects x [B, {index.Length}]; got {Layout.Format(x.Shape)}.");
        int batch = x.Size(0), d = index.Length;
        var xc = x.Contiguous();
        var result = Tensor.Zeros(batch, outFeatures);
        var xs = xc.AsReadOnlySpan();
        var ys = result.AsSpan();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < d; i++)
                ys[b * outFeatures + index[i]] += sign[i] * xs[b * d + i];
        if (!ReferenceEquals(xc, x)) xc.Dispose();
        return Autograd.Record(result, [x], g =>
        {
            var gs = g.AsReadOnlySpan();
            var dx = new float[batch * d];
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < d; i++)
                    dx[b * d + i] = sign[i] * gs[b * outFeatures + index[i]];
            x.AccumulateGrad(dx);
        }, "CountSketch");
    }
}
