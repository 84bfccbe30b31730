using System.Numerics.Tensors;
using Fusion.Runtime.Compute;
using Fusion.Runtime.Kernels;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// 1-D convolution (cross-correlation, as PyTorch's <c>F.conv1d</c>) over batch-first sequences.
    /// Layout: <paramref name="input"/> is <c>[B, N, C_in]</c> (steps, then channels: the spec's
    /// <c>[N, d]</c> per sample, not PyTorch's <c>[B, C, N]</c>), <paramref name="weight"/> is PyTorch's
    /// <c>[C_out, C_in, k]</c>, <paramref name="bias"/> <c>[C_out]</c> or null; the result is
    /// <c>[B, N', C_out]</c> with N' = floor((N + 2p - k) / s) + 1.
    /// With <paramref name="lengths"/> (<c>[B]</c>; steps at and after a length are padding) the padded
    /// input steps are read as zeros, exactly as if each sample were its unpadded sequence with
    /// <paramref name="padding"/> zeros on both sides, and output steps at and after the sample's output
    /// length (<see cref="Conv1dLengths"/>) are zero and pass no gradient. im2col then one GEMM each way.
    /// </summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, LongTensor? lengths = null)
    {
        if (input.Rank != 3) throw new ArgumentException($"Conv1d expects a batch of sequences [B, N, C_in]; got {Layout.Format(input.shape)}.");
        if (weight.Rank != 3 || weight.shape[1] != input.shape[2])
            throw new ArgumentException($"Conv1d weight must be [C_out, {input.shape[2]}, k] for input {Layout.Format(input.shape)}; got {Layout.Format(weight.shape)}.");
        CheckWindow(stride, padding, "Conv1d");
        int batch = input.shape[0], steps = input.shape[1], cin = input.shape[2], cout = weight.shape[0], k = weight.shape[2];
        CheckVector(bias, cout, "Conv1d bias");
        int outSteps = StepLengths.WindowCount(steps, k, stride, padding);
        if (outSteps < 1) throw new ArgumentException($"Conv1d: kernel {k} does not fit {steps} steps with padding {padding}.");
        var lens = StepLengths.Of(lengths, batch, steps, "Conv1d");
        var outLens = new int[batch];
        for (int b = 0; b < batch; b++) outLens[b] = StepLengths.WindowCount(lens[b], k, stride, padding);

        var xc = input.Contiguous();
        var wc = weight.Contiguous();
        var bc = bias?.Contiguous();
        int kc = k * cin, rows = batch * outSteps;

        // Weight as [C_out, k, C_in] so that an im2col row is k contiguous copies of input steps.
        var wp = Allocate([cout, kc]);
        var ws = wc.Buffer.AsSpan(wc.offset, wc.numel);
        var wps = wp.Buffer.AsSpan(0, wp.numel);
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < cin; c++)
                for (int j = 0; j < k; j++)
                    wps[o * kc + j * cin + c] = ws[(o * cin + c) * k + j];

        var cols = Allocate([rows, kc]);
        var colSpan = cols.Buffer.AsSpan(0, cols.numel);
        var xs = xc.Buffer.AsSpan(xc.offset, xc.numel);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < outSteps; t++)
            {
                var row = colSpan.Slice((b * outSteps + t) * kc, kc);
                if (t >= outLens[b]) { row.Clear(); continue; }
                for (int j = 0; j < k; j++)
                {
                    int pos = t * stride - padding + j;
                    var dst = row.Slice(j * cin, cin);
                    if (pos >= 0 && pos < lens[b]) xs.Slice((b * steps + pos) * cin, cin).CopyTo(dst);
                    else dst.Clear();
                }
            }

        var result = Allocate([batch, outSteps, cout]);
        var ys = result.Buffer.AsSpan(0, result.numel);
        if (bc is not null)
        {
            var bs = bc.Buffer.AsSpan(bc.offset, cout);
            for (int r = 0; r < rows; r++) bs.CopyTo(ys.Slice(r * cout, cout));
        }
        Gemm.Multiply(false, true, rows, cout, kc, 1f, colSpan, kc, wps, kc, bc is null ? 0f : 1f, ys, cout);
        ClearPaddedSteps(ys, batch, outSteps, cout, outLens);

        Tensor[] inputs = bc is null ? [xc, wc] : [xc, wc, bc];
        if (!Autograd.NeedsGrad(inputs))
        {
            cols.Dispose();
            wp.Dispose();
            return result;
        }
        return Autograd.Record(result, inputs, g =>
        {
            var gm = Allocate([rows, cout]);
            var gs = gm.Buffer.AsSpan(0, gm.numel);
            g.AsReadOnlySpan().CopyTo(gs);
            ClearPaddedSteps(gs, batch, outSteps, cout, outLens);
            var colsRead = cols.Buffer.AsSpan(0, cols.numel);
            var wpRead = wp.Buffer.AsSpan(0, wp.numel);
            if (wc.RequiresGrad)
            {
                var dwp = Allocate([cout * kc]);
                var dwps = dwp.Buffer.AsSpan(0, dwp.numel);
                Gemm.Multiply(true, false, cout, kc, rows, 1f, gs, cout, colsRead, kc, 0f, dwps, kc);
                var dw = Allocate([cout * cin * k]);
                var dws = dw.Buffer.AsSpan(0, dw.numel);
                for (int o = 0; o < cout; o++)
                    for (int c = 0; c < cin; c++)
                        for (int j = 0; j < k; j++)
                            dws[(o * cin + c) * k + j] = dwps[o * kc + j * cin + c];
                wc.AccumulateGrad(dws);
            }
            if (bc is not null && bc.RequiresGrad) bc.AccumulateGrad(ColumnSums(gs, rows, cout));
            if (xc.RequiresGrad)
            {
                var dcols = Allocate([rows * kc]);
                var dcs = dcols.Buffer.AsSpan(0, dcols.numel);
                Gemm.Multiply(false, false, rows, kc, cout, 1f, gs, cout, wpRead, kc, 0f, dcs, kc);
                var dx = Zeros(batch * steps * cin);
                var dxs = dx.AsSpan();
                for (int b = 0; b < batch; b++)
                    for (int t = 0; t < outLens[b]; t++)
                        for (int j = 0; j < k; j++)
                        {
                            int pos = t * stride - padding + j;
                            if (pos < 0 || pos >= lens[b]) continue;
                            var dst = dxs.Slice((b * steps + pos) * cin, cin);
                            TensorPrimitives.Add(dst, dcs.Slice((b * outSteps + t) * kc + j * cin, cin), dst);
                        }
                xc.AccumulateGrad(dxs);
            }
        }, "Conv1d");
    }

    /// <summary>The output lengths of <see cref="Conv1d"/> for input lengths: floor((L + 2p - k) / s) + 1, or 0 when the kernel does not fit.</summary>
    public static LongTensor Conv1dLengths(LongTensor lengths, int kernel, int stride = 1, int padding = 0)
    {
        CheckWindow(stride, padding, "Conv1dLengths");
        var span = lengths.AsSpan();
        var result = new int[span.Length];
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] < 0) throw new ArgumentOutOfRangeException(nameof(lengths), span[i], "Conv1dLengths: a length is negative.");
            result[i] = StepLengths.WindowCount((int)span[i], kernel, stride, padding);
        }
        return StepLengths.ToTensor(result);
    }

    /// <summary>2-D convolution with one stride and padding for both axes; see <see cref="Conv2d(Tensor, Tensor, Tensor?, ValueTuple{int, int}, ValueTuple{int, int})"/>.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding));

    /// <summary>
    /// 2-D convolution as PyTorch's <c>F.conv2d</c>: <paramref name="input"/> <c>[B, C_in, H, W]</c>,
    /// <paramref name="weight"/> <c>[C_out, C_in, kh, kw]</c>, <paramref name="bias"/> <c>[C_out]</c> or null;
    /// result <c>[B, C_out, H', W']</c>, H' = floor((H + 2 ph - kh) / sh) + 1 (W' likewise). Per sample an
    /// im2col matrix <c>[C_in kh kw, H' W']</c> and one GEMM each way.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding)
    {
        if (input.Rank != 4) throw new ArgumentException($"Conv2d expects a batch of images [B, C_in, H, W]; got {Layout.Format(input.shape)}.");
        if (weight.Rank != 4 || weight.shape[1] != input.shape[1])
            throw new ArgumentException($"Conv2d weight must be [C_out, {input.shape[1]}, kh, kw] for input {Layout.Format(input.shape)}; got {Layout.Format(weight.shape)}.");
        CheckWindow(stride.H, padding.H, "Conv2d");
        CheckWindow(stride.W, padding.W, "Conv2d");
        int batch = input.shape[0], cin = input.shape[1], height = input.shape[2], width = input.shape[3];
        int cout = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
        CheckVector(bias, cout, "Conv2d bias");
        int oh = StepLengths.WindowCount(height, kh, stride.H, padding.H), ow = StepLengths.WindowCount(width, kw, stride.W, padding.W);
        if (oh < 1 || ow < 1) throw new ArgumentException($"Conv2d: kernel {kh}x{kw} does not fit {height}x{width} with padding ({padding.H}, {padding.W}).");
        int kk = cin * kh * kw, pixels = oh * ow;
        var geometry = new Im2Col(cin, height, width, kh, kw, stride.H, stride.W, padding.H, padding.W, oh, ow);

        var xc = input.Contiguous();
        var wc = weight.Contiguous();
        var bc = bias?.Contiguous();
        var xs = xc.Buffer.AsSpan(xc.offset, xc.numel);
        var ws = wc.Buffer.AsSpan(wc.offset, wc.numel);
        int imageSize = cin * height * width;

        var cols = Allocate([batch, kk, pixels]);
        var colSpan = cols.Buffer.AsSpan(0, cols.numel);
        var result = Allocate([batch, cout, oh, ow]);
        var ys = result.Buffer.AsSpan(0, result.numel);
        for (int b = 0; b < batch; b++)
        {
            var col = colSpan.Slice(b * kk * pixels, kk * pixels);
            geometry.Gather(xs.Slice(b * imageSize, imageSize), col);
            var y = ys.Slice(b * cout * pixels, cout * pixels);
            if (bc is not null)
                for (int o = 0; o < cout; o++) y.Slice(o * pixels, pixels).Fill(bc.Buffer[bc.offset + o]);
            Gemm.Multiply(false, false, cout, pixels, kk, 1f, ws, kk, col, pixels, bc is null ? 0f : 1f, y, pixels);
        }

        Tensor[] inputs = bc is null ? [xc, wc] : [xc, wc, bc];
        if (!Autograd.NeedsGrad(inputs))
        {
            cols.Dispose();
            return result;
        }
        return Autograd.Record(result, inputs, g =>
        {
            var gs = g.AsReadOnlySpan();
            var colsRead = cols.Buffer.AsSpan(0, cols.numel);
            var wsRead = wc.Buffer.AsSpan(wc.offset, wc.numel);
            if (wc.RequiresGrad)
            {
                var dw = Allocate([cout * kk]);
                var dws = dw.Buffer.AsSpan(0, dw.numel);
                for (int b = 0; b < batch; b++)
                    Gemm.Multiply(false, true, cout, kk, pixels, 1f, gs.Slice(b * cout * pixels, cout * pixels), pixels,
                        colsRead.Slice(b * kk * pixels, kk * pixels), pixels, b == 0 ? 0f : 1f, dws, kk);
                wc.AccumulateGrad(dws);
            }
            if (bc is not null && bc.RequiresGrad)
            {
                var db = Zeros(cout);
                var dbs = db.AsSpan();
                for (int b = 0; b < batch; b++)
                    for (int o = 0; o < cout; o++) dbs[o] += TensorPrimitives.Sum(gs.Slice((b * cout + o) * pixels, pixels));
                bc.AccumulateGrad(dbs);
            }
            if (xc.RequiresGrad)
            {
                var dcol = Allocate([kk * pixels]);
                var dcs = dcol.Buffer.AsSpan(0, dcol.numel);
                var dx = Zeros(batch * imageSize);
                var dxs = dx.AsSpan();
                for (int b = 0; b < batch; b++)
                {
                    Gemm.Multiply(true, false, kk, pixels, cout, 1f, wsRead, kk, gs.Slice(b * cout * pixels, cout * pixels), pixels, 0f, dcs, pixels);
                    geometry.ScatterAdd(dcs, dxs.Slice(b * imageSize, imageSize));
                }
                xc.AccumulateGrad(dxs);
            }
        }, "Conv2d");
    }

    private static void CheckWindow(int stride, int padding, string op)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"{op}: stride must be at least 1.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, $"{op}: padding must not be negative.");
    }

    /// <summary>Zeroes rows t >= lengths[b] of a <c>[B, steps, width]</c> buffer.</summary>
    private static void ClearPaddedSteps(Span<float> values, int batch, int steps, int width, int[] lengths)
    {
        for (int b = 0; b < batch; b++)
            if (lengths[b] < steps)
                values.Slice((b * steps + lengths[b]) * width, (steps - lengths[b]) * width).Clear();
    }

    /// <summary>Sums of the columns of a <c>[rows, cols]</c> buffer (a pooled tensor).</summary>
    private static ReadOnlySpan<float> ColumnSums(ReadOnlySpan<float> values, int rows, int cols)
    {
        var sums = Zeros(cols).AsSpan();
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(sums, values.Slice(r * cols, cols), sums);
        return sums;
    }

    /// <summary>The im2col map of one image: row (c, i, j) of the column matrix, column (y, x) of the output.</summary>
    private readonly record struct Im2Col(int Channels, int Height, int Width, int KernelH, int KernelW,
        int StrideH, int StrideW, int PadH, int PadW, int OutH, int OutW)
    {
        /// <summary>cols[(c kh + i) kw + j, y OutW + x] = image[c, y sh - ph + i, x sw - pw + j] (0 outside).</summary>
        public void Gather(ReadOnlySpan<float> image, Span<float> cols)
        {
            int pixels = OutH * OutW;
            for (int c = 0; c < Channels; c++)
                for (int i = 0; i < KernelH; i++)
                    for (int j = 0; j < KernelW; j++)
                    {
                        var row = cols.Slice(((c * KernelH + i) * KernelW + j) * pixels, pixels);
                        for (int y = 0; y < OutH; y++)
                        {
                            var dst = row.Slice(y * OutW, OutW);
                            int iy = y * StrideH - PadH + i;
                            if (iy < 0 || iy >= Height) { dst.Clear(); continue; }
                            var src = image.Slice((c * Height + iy) * Width, Width);
                            for (int x = 0; x < OutW; x++)
                            {
                                int ix = x * StrideW - PadW + j;
                                dst[x] = ix >= 0 && ix < Width ? src[ix] : 0f;
                            }
                        }
                    }
        }

        /// <summary>The adjoint of <see cref="Gather"/>: adds every column entry back to its pixel.</summary>
        public void ScatterAdd(ReadOnlySpan<float> cols, Span<float> image)
        {
            int pixels = OutH * OutW;
            for (int c = 0; c < Channels; c++)
                for (int i = 0; i < KernelH; i++)
                    for (int j = 0; j < KernelW; j++)
                    {
                        var row = cols.Slice(((c * KernelH + i) * KernelW + j) * pixels, pixels);
                        for (int y = 0; y < OutH; y++)
                        {
                            int iy = y * StrideH - PadH + i;
                            if (iy < 0 || iy >= Height) continue;
                            var dst = image.Slice((c * Height + iy) * Width, Width);
                            var src = row.Slice(y * OutW, OutW);
                            for (int x = 0; x < OutW; x++)
                            {
                                int ix = x * StrideW - PadW + j;
                                if (ix >= 0 && ix < Width) dst[ix] += src[x];
                            }
                        }
                    }
        }
    }
}
