using System.Numerics.Tensors;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// L2 normalisation along <paramref name="axis"/> like PyTorch's <c>F.normalize(x, p=2, dim=axis, eps)</c>:
    /// y = x / max(||x||_2, eps), so a zero vector stays zero.
    /// </summary>
    public Tensor L2Normalize(int axis, float eps = 1e-12f)
    {
        int a = Layout.NormalizeAxis(axis, shape.Length, nameof(axis));
        int n = shape[a];
        int inner = 1;
        for (int i = a + 1; i < shape.Length; i++) inner *= shape[i];
        int outer = n == 0 || inner == 0 ? 0 : numel / (n * inner);

        var xc = Contiguous();
        var xs = xc.Buffer.AsSpan(xc.offset, xc.numel);
        var result = Allocate((int[])shape.Clone());
        var ys = result.Buffer.AsSpan(0, result.numel);
        // Norms of each (outer, inner) line; kept for backward.
        var norms = Allocate([outer * inner]);
        var ns = norms.Buffer.AsSpan(0, outer * inner);
        for (int o = 0; o < outer; o++)
        {
            int block = o * n * inner;
            if (inner == 1)
            {
                var line = xs.Slice(block, n);
                float norm = TensorPrimitives.Norm(line);
                ns[o] = norm;
                TensorPrimitives.Divide(line, MathF.Max(norm, eps), ys.Slice(block, n));
                continue;
            }
            var sq = ns.Slice(o * inner, inner);
            sq.Clear();
            for (int k = 0; k < n; k++)
            {
                var row = xs.Slice(block + k * inner, inner);
                TensorPrimitives.FusedMultiplyAdd(row, row, sq, sq);
            }
            TensorPrimitives.Sqrt(sq, sq);
            for (int k = 0; k < n; k++)
            {
                var row = xs.Slice(block + k * inner, inner);
                var yrow = ys.Slice(block + k * inner, inner);
                for (int j = 0; j < inner; j++) yrow[j] = row[j] / MathF.Max(sq[j], eps);
            }
        }

        return Autograd.Record(result, [xc], g =>
        {
            // ||x|| > eps: dx = (g - y (y . g)) / ||x||; otherwise y = x / eps and dx = g / eps.
            var gs = g.AsReadOnlySpan();
            var yv = result.Buffer.AsSpan(0, result.numel);
            var nv = norms.Buffer.AsSpan(0, outer * inner);
            var dx = Allocate((int[])shape.Clone());
            var ds = dx.Buffer.AsSpan(0, dx.numel);
            for (int o = 0; o < outer; o++)
            {
                for (int j = 0; j < inner; j++)
                {
                    int start = o * n * inner + j;
                    float norm = nv[o * inner + j];
                    if (inner == 1)
                    {
                        var gl = gs.Slice(start, n);
                        var dl = ds.Slice(start, n);
                        if (norm > eps)
                        {
                            float dot = TensorPrimitives.Dot(gl, yv.Slice(start, n));
                            TensorPrimitives.MultiplyAdd(yv.Slice(start, n), -dot, gl, dl);
                            TensorPrimitives.Divide(dl, norm, dl);
                        }
                        else TensorPrimitives.Divide(gl, eps, dl);
                        continue;
                    }
                    if (norm > eps)
                    {
                        float dot = 0f;
                        for (int k = 0; k < n; k++) dot += gs[start + k * inner] * yv[start + k * inner];
                        for (int k = 0; k < n; k++) ds[start + k * inner] = (gs[start + k * inner] - yv[start + k * inner] * dot) / norm;
                    }
                    else for (int k = 0; k < n; k++) ds[start + k * inner] = gs[start + k * inner] / eps;
                }
            }
            xc.AccumulateGrad(dx.AsReadOnlySpan());
        }, "L2Normalize");
    }
}
