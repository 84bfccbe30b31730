using System.Numerics.Tensors;
using Fusion.Runtime.Compute;
using Fusion.Runtime.Kernels;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>F.linear</c>: y = x W^T + b over the last axis of <paramref name="input"/>
    /// (<c>[..., in]</c> -> <c>[..., out]</c>), W <c>[out, in]</c>, b <c>[out]</c> or null. One op on the
    /// graph: the bias is the GEMM's initial C, and backward computes dx = g W, dW = g^T x, db = sum g
    /// (dW straight into an existing leaf gradient when there is one).
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Linear weight must be [out, in]; got {Layout.Format(weight.shape)}.");
        int outF = weight.shape[0], inF = weight.shape[1];
        if (input.Rank == 0 || input.shape[^1] != inF)
            throw new ArgumentException($"Linear: input {Layout.Format(input.shape)} does not end in {inF} (weight {Layout.Format(weight.shape)}).");
        CheckVector(bias, outF, "Linear bias");
        var xc = input.Contiguous();
        var wc = weight.Contiguous();
        var bc = bias?.Contiguous();
        int rows = inF == 0 ? 0 : xc.numel / inF;
        var outShape = (int[])input.shape.Clone();
        outShape[^1] = outF;
        var result = Allocate(outShape);
        var ys = result.Buffer.AsSpan(0, result.numel);
        if (bc is not null)
        {
            var bs = bc.Buffer.AsSpan(bc.offset, outF);
            for (int r = 0; r < rows; r++) bs.CopyTo(ys.Slice(r * outF, outF));
        }
        if (rows > 0 && outF > 0)
        {
            if (inF == 0) { if (bc is null) ys.Clear(); }
            else Gemm.Multiply(false, true, rows, outF, inF, 1f, xc.Buffer.AsSpan(xc.offset, xc.numel), inF,
                wc.Buffer.AsSpan(wc.offset, wc.numel), inF, bc is null ? 0f : 1f, ys, outF);
        }

        BackwardFunction backward = g =>
        {
            var gs = g.AsReadOnlySpan();
            var xs = xc.Buffer.AsSpan(xc.offset, xc.numel);
            var ws = wc.Buffer.AsSpan(wc.offset, wc.numel);
            if (xc.RequiresGrad)
            {
                var dx = Allocate([rows * inF]);
                Gemm.Multiply(false, false, rows, inF, outF, 1f, gs, outF, ws, inF, 0f, dx.Buffer.AsSpan(0, rows * inF), inF);
                xc.AccumulateGrad(dx.AsReadOnlySpan());
            }
            if (wc.RequiresGrad)
            {
                var existing = wc.IsLeaf ? wc.Grad : null;
                if (existing is not null)
                    Gemm.Multiply(true, false, outF, inF, rows, 1f, gs, outF, xs, inF, 1f, existing.AsSpan(), inF);
                else
                {
                    var dw = Allocate([outF * inF]);
                    Gemm.Multiply(true, false, outF, inF, rows, 1f, gs, outF, xs, inF, 0f, dw.Buffer.AsSpan(0, outF * inF), inF);
                    wc.AccumulateGrad(dw.AsReadOnlySpan());
                }
            }
            if (bc is not null && bc.RequiresGrad)
            {
                var db = Zeros(outF);
                var dbs = db.AsSpan();
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(dbs, gs.Slice(r * outF, outF), dbs);
                bc.AccumulateGrad(dbs);
            }
        };
        return bc is null ? Autograd.Record(result, [xc, wc], backward, "Linear") : Autograd.Record(result, [xc, wc, bc], backward, "Linear");
    }
}
