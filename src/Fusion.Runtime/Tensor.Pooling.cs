using System.Numerics.Tensors;
using Fusion.Runtime.Compute;

namespace Fusion.Runtime;

public sealed partial class Tensor
{
    /// <summary>
    /// Max pooling over the steps of batch-first sequences <c>[B, N, C]</c> (PyTorch's <c>F.max_pool1d</c>
    /// on the transposed layout, no padding): windows of <paramref name="kernel"/> steps every
    /// <paramref name="stride"/> (0: the kernel) give <c>[B, N', C]</c>, N' = floor((N - k) / s) + 1.
    /// With <paramref name="lengths"/> only windows inside a sample's valid steps are valid
    /// (<see cref="Pool1dLengths"/>); the other output steps are zero and pass no gradient. The gradient
    /// goes to the first maximum of each window.
    /// </summary>
    public static Tensor MaxPool1d(Tensor input, int kernel, int stride = 0, LongTensor? lengths = null) =>
        Pool1d(input, kernel, stride, lengths, max: true);

    /// <summary>Average pooling over steps of <c>[B, N, C]</c>; see <see cref="MaxPool1d"/> for windows and lengths.</summary>
    public static Tensor AvgPool1d(Tensor input, int kernel, int stride = 0, LongTensor? lengths = null) =>
        Pool1d(input, kernel, stride, lengths, max: false);

    /// <summary>Output lengths of 1-D pooling: floor((L - k) / s) + 1, or 0 when a sample is shorter than the kernel.</summary>
    public static LongTensor Pool1dLengths(LongTensor lengths, int kernel, int stride = 0)
    {
        int s = CheckPoolWindow(kernel, stride, "Pool1dLengths");
        var span = lengths.AsSpan();
        var result = new int[span.Length];
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] < 0) throw new ArgumentOutOfRangeException(nameof(lengths), span[i], "Pool1dLengths: a length is negative.");
            result[i] = StepLengths.WindowCount((int)span[i], kernel, s, 0);
        }
        return StepLengths.ToTensor(result);
    }

    /// <summary>Max pooling of images <c>[B, C, H, W]</c> with a square window; see <see cref="MaxPool2d(Tensor, ValueTuple{int, int}, ValueTuple{int, int})"/>.</summary>
    public static Tensor MaxPool2d(Tensor input, int kernel, int stride = 0) => Pool2d(input, (kernel, kernel), (stride, stride), max: true);

    /// <summary>
    /// Max pooling of images <c>[B, C, H, W]</c> (PyTorch's <c>F.max_pool2d</c>, no padding): windows
    /// kh x kw every (sh, sw) (0: the kernel) give <c>[B, C, H', W']</c>, H' = floor((H - kh) / sh) + 1.
    /// The gradient goes to the first maximum of each window (row-major).
    /// </summary>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernel, (int H, int W) stride) => Pool2d(input, kernel, stride, max: true);

    /// <summary>Average pooling of images <c>[B, C, H, W]</c> with a square window.</summary>
    public static Tensor AvgPool2d(Tensor input, int kernel, int stride = 0) => Pool2d(input, (kernel, kernel), (stride, stride), max: false);

    /// <summary>Average pooling of images <c>[B, C, H, W]</c> (PyTorch's <c>F.avg_pool2d</c>, no padding).</summary>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernel, (int H, int W) stride) => Pool2d(input, kernel, stride, max: false);

    /// <summary>
    /// Global max pooling: a sequence <c>[B, N, C]</c> over its valid steps (<paramref name="lengths"/>,
    /// null: all) to <c>[B, C]</c>, an image <c>[B, C, H, W]</c> over its pixels to <c>[B, C]</c>.
    /// A sample of length 0 gives zeros. The gradient goes to the first maximum.
    /// </summary>
    public static Tensor GlobalMaxPool(Tensor input, LongTensor? lengths = null) => GlobalPool(input, lengths, max: true);

    /// <summary>Global average pooling (the mean over valid steps or over pixels); see <see cref="GlobalMaxPool"/>.</summary>
    public static Tensor GlobalAvgPool(Tensor input, LongTensor? lengths = null) => GlobalPool(input, lengths, max: false);

    private static int CheckPoolWindow(int kernel, int stride, string op)
    {
        if (kernel < 1) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, $"{op}: kernel must be at least 1.");
        if (stride < 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"{op}: stride must be positive (0: the kernel).");
        return stride == 0 ? kernel : stride;
    }

    private static Tensor Pool1d(Tensor input, int kernel, int stride, LongTensor? lengths, bool max)
    {
        string op = max ? "MaxPool1d" : "AvgPool1d";
        if (input.Rank != 3) throw new ArgumentException($"{op} expects a batch of sequences [B, N, C]; got {Layout.Format(input.shape)}.");
        int s = CheckPoolWindow(kernel, stride, op);
        int batch = input.shape[0], steps = input.shape[1], width = input.shape[2];
        int outSteps = StepLengths.WindowCount(steps, kernel, s, 0);
        if (outSteps < 1) throw new ArgumentException($"{op}: kernel {kernel} is longer than {steps} steps.");
        var lens = StepLengths.Of(lengths, batch, steps, op);
        var outLens = new int[batch];
        for (int b = 0; b < batch; b++) outLens[b] = StepLengths.WindowCount(lens[b], kernel, s, 0);

        var xc = input.Contiguous();
        var xs = xc.Buffer.AsSpan(xc.offset, xc.numel);
        var result = Zeros(batch, outSteps, width);
        var ys = result.Buffer.AsSpan(0, result.numel);
        // Max: the step of each window's first maximum, as a float (exact below 2^24) in a pooled tensor.
        var winners = max ? Allocate([result.numel]) : null;
        var argmax = winners is null ? Span<float>.Empty : winners.Buffer.AsSpan(0, winners.numel);
        float scale = 1f / kernel;
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < outLens[b]; t++)
            {
                var y = ys.Slice((b * outSteps + t) * width, width);
                int first = (b * steps + t * s) * width;
                if (winners is null)
                {
                    for (int j = 0; j < kernel; j++) TensorPrimitives.Add(y, xs.Slice(first + j * width, width), y);
                    TensorPrimitives.Multiply(y, scale, y);
                    continue;
                }
                var at = argmax.Slice((b * outSteps + t) * width, width);
                for (int c = 0; c < width; c++)
                {
                    int best = 0;
                    for (int j = 1; j < kernel; j++)
                    {
                        float v = xs[first + j * width + c];
                        if (v > xs[first + best * width + c] || float.IsNaN(v)) best = j;
                    }
                    y[c] = xs[first + best * width + c];
                    at[c] = best;
                }
            }

        if (!Autograd.NeedsGrad(xc))
        {
            winners?.Dispose();
            return result;
        }
        return Autograd.Record(result, [xc], g =>
        {
            var gs = g.AsReadOnlySpan();
            var dx = Zeros(xc.shape);
            var dxs = dx.AsSpan();
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < outLens[b]; t++)
                {
                    int o = (b * outSteps + t) * width;
                    int first = (b * steps + t * s) * width;
                    if (winners is not null)
                    {
                        var at = winners.Buffer.AsSpan(o, width);
                        for (int c = 0; c < width; c++) dxs[first + (int)at[c] * width + c] += gs[o + c];
                        continue;
                    }
                    for (int j = 0; j < kernel; j++)
                    {
                        var dst = dxs.Slice(first + j * width, width);
                        TensorPrimitives.MultiplyAdd(gs.Slice(o, width), scale, dst, dst);
                    }
                }
            xc.AccumulateGrad(dxs);
        }, op);
    }

    private static Tensor Pool2d(Tensor input, (int H, int W) kernel, (int H, int W) stride, bool max)
    {
        string op = max ? "MaxPool2d" : "AvgPool2d";
        if (input.Rank != 4) throw new ArgumentException($"{op} expects a batch of images [B, C, H, W]; got {Layout.Format(input.shape)}.");
        int sh = CheckPoolWindow(kernel.H, stride.H, op), sw = CheckPoolWindow(kernel.W, stride.W, op);
        int planes = input.shape[0] * input.shape[1], height = input.shape[2], width = input.shape[3];
        int oh = StepLengths.WindowCount(height, kernel.H, sh, 0), ow = StepLengths.WindowCount(width, kernel.W, sw, 0);
        if (oh < 1 || ow < 1) throw new ArgumentException($"{op}: kernel {kernel.H}x{kernel.W} does not fit {height}x{width}.");

        var xc = input.Contiguous();
        var xs = xc.Buffer.AsSpan(xc.offset, xc.numel);
        var result = Allocate([input.shape[0], input.shape[1], oh, ow]);
        var ys = result.Buffer.AsSpan(0, result.numel);
        // Max: i kw + j of each window's first maximum, as a float in a pooled tensor.
        var winners = max ? Allocate([result.numel]) : null;
        var argmax = winners is null ? Span<float>.Empty : winners.Buffer.AsSpan(0, winners.numel);
        float scale = 1f / (kernel.H * kernel.W);
        for (int p = 0; p < planes; p++)
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < ow; x++)
                {
                    int o = (p * oh + y) * ow + x;
                    int corner = (p * height + y * sh) * width + x * sw;
                    if (winners is null)
                    {
                        float sum = 0f;
                        for (int i = 0; i < kernel.H; i++) sum += TensorPrimitives.Sum(xs.Slice(corner + i * width, kernel.W));
                        ys[o] = sum * scale;
                        continue;
                    }
                    int best = corner, bestTap = 0;
                    for (int i = 0; i < kernel.H; i++)
                        for (int j = 0; j < kernel.W; j++)
                        {
                            int at = corner + i * width + j;
                            if (xs[at] > xs[best] || float.IsNaN(xs[at])) (best, bestTap) = (at, i * kernel.W + j);
                        }
                    ys[o] = xs[best];
                    argmax[o] = bestTap;
                }

        if (!Autograd.NeedsGrad(xc))
        {
            winners?.Dispose();
            return result;
        }
        return Autograd.Record(result, [xc], g =>
        {
            var gs = g.AsReadOnlySpan();
            var dx = Zeros(xc.shape);
            var dxs = dx.AsSpan();
            for (int p = 0; p < planes; p++)
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++)
                    {
                        int o = (p * oh + y) * ow + x;
                        int corner = (p * height + y * sh) * width + x * sw;
                        if (winners is not null)
                        {
                            int tap = (int)winners.Buffer[o];
                            dxs[corner + tap / kernel.W * width + tap % kernel.W] += gs[o];
                            continue;
                        }
                        float share = gs[o] * scale;
                        for (int i = 0; i < kernel.H; i++) TensorPrimitives.Add(dxs.Slice(corner + i * width, kernel.W), share, dxs.Slice(corner + i * width, kernel.W));
                    }
            xc.AccumulateGrad(dxs);
        }, op);
    }

    private static Tensor GlobalPool(Tensor input, LongTensor? lengths, bool max)
    {
        string op = max ? "GlobalMaxPool" : "GlobalAvgPool";
        int batch, steps, width;
        int[] lens;
        bool image = input.Rank == 4;
        if (image)
        {
            if (lengths is not null) throw new ArgumentException($"{op}: an image has no lengths.");
            batch = input.shape[0] * input.shape[1];
            steps = input.shape[2] * input.shape[3];
            width = 1;
            lens = StepLengths.Of(null, batch, steps, op);
        }
        else if (input.Rank == 3)
        {
            (batch, steps, width) = (input.shape[0], input.shape[1], input.shape[2]);
            lens = StepLengths.Of(lengths, batch, steps, op);
        }
        else throw new ArgumentException($"{op} expects a sequence [B, N, C] or an image [B, C, H, W]; got {Layout.Format(input.shape)}.");

        // Both layouts as [batch, steps, width]: an image is [B*C, H*W, 1].
        var xc = input.Contiguous();
        var xs = xc.Buffer.AsSpan(xc.offset, xc.numel);
        int[] outShape = image ? [input.shape[0], input.shape[1]] : [batch, width];
        var result = Zeros(outShape);
        var ys = result.Buffer.AsSpan(0, result.numel);
        // Max: the step of the first maximum, as a float in a pooled tensor.
        var winners = max ? Allocate([batch * width]) : null;
        var argmax = winners is null ? Span<float>.Empty : winners.Buffer.AsSpan(0, winners.numel);
        for (int b = 0; b < batch; b++)
        {
            if (lens[b] == 0) continue;
            var y = ys.Slice(b * width, width);
            int first = b * steps * width;
            if (winners is null)
            {
                if (width == 1) y[0] = TensorPrimitives.Sum(xs.Slice(first, lens[b]));
                else for (int t = 0; t < lens[b]; t++) TensorPrimitives.Add(y, xs.Slice(first + t * width, width), y);
                TensorPrimitives.Multiply(y, 1f / lens[b], y);
                continue;
            }
            for (int c = 0; c < width; c++)
            {
                int best = 0;
                for (int t = 1; t < lens[b]; t++)
                {
                    float v = xs[first + t * width + c];
                    if (v > xs[first + best * width + c] || float.IsNaN(v)) best = t;
                }
                y[c] = xs[first + best * width + c];
                argmax[b * width + c] = best;
            }
        }

        if (!Autograd.NeedsGrad(xc))
        {
            winners?.Dispose();
            return result;
        }
        return Autograd.Record(result, [xc], g =>
        {
            var gs = g.AsReadOnlySpan();
            var dx = Zeros(xc.shape);
            var dxs = dx.AsSpan();
            for (int b = 0; b < batch; b++)
            {
                if (lens[b] == 0) continue;
                if (winners is not null)
                {
                    var at = winners.Buffer.AsSpan(b * width, width);
                    for (int c = 0; c < width; c++) dxs[(b * steps + (int)at[c]) * width + c] += gs[b * width + c];
                    continue;
                }
                float scale = 1f / lens[b];
                for (int t = 0; t < lens[b]; t++)
                {
                    var dst = dxs.Slice((b * steps + t) * width, width);
                    TensorPrimitives.MultiplyAdd(gs.Slice(b * width, width), scale, dst, dst);
                }
            }
            xc.AccumulateGrad(dxs);
        }, op);
    }
}
