using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary>Checks shared by several fusion ops.</summary>
internal static class InputChecks
{
    /// <summary>Every input must have the width of the first one (FUS007 for each that does not).</summary>
    public static bool EqualWidths(OpContext context, string what)
    {
        bool ok = true;
        int width = context.Inputs[0].Width;
        foreach (var input in context.Inputs.Skip(1))
        {
            if (input.Width != width)
            {
                context.ShapeError(input, $"{what} of width {width}, the width of its first input '{context.Inputs[0].Reference.Text}'");
                ok = false;
            }
        }

        return ok;
    }

    public static int SumOfWidths(IEnumerable<ValueReference> inputs) => inputs.Sum(i => i.Shape.Width);

    public static int MaxWidth(IEnumerable<InputValue> inputs) => inputs.Max(i => i.Width);
}
