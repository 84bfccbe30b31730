using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Encoders;

/// <summary>The output length of a convolution: <c>floor((n + 2p - k) / s) + 1</c>; open stays open.</summary>
internal static class ConvolutionLength
{
    public static int Of(int length, int kernel, int stride, int padding) =>
        length == Shape.Open ? Shape.Open : ((length + (2 * padding) - kernel) / stride) + 1;

    /// <summary>Reports FUS009 on <c>kernel</c> when the padded input is shorter than the kernel.</summary>
    public static bool Check(OpContext context, int length, string axis)
    {
        var a = context.Attributes;
        int kernel = a.Int("kernel");
        int padding = a.Int("padding");
        if (length == Shape.Open || length + (2 * padding) >= kernel)
        {
            return true;
        }

        context.OutOfRange("kernel", kernel.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most the padded {axis} {length + (2 * padding)} of the input of {context.Consumer}");
        return false;
    }
}
