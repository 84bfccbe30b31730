using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Operators;

/// <summary>Argument checks shared by the operators, with messages that name the operator and the shapes.</summary>
internal static class OperatorChecks
{
    public static void Count(string op, IReadOnlyList<Tensor> inputs, int expected)
    {
        if (inputs.Count != expected)
            throw new ArgumentException($"{op} expects {expected} inputs; got {inputs.Count}.");
    }

    /// <summary>Every input is <c>[B, width_m]</c> with one batch size.</summary>
    public static int Vectors(string op, IReadOnlyList<Tensor> inputs, IReadOnlyList<InputWidth> widths)
    {
        Count(op, inputs, widths.Count);
        int batch = inputs[0].Rank == 2 ? inputs[0].Size(0) : -1;
        for (int m = 0; m < inputs.Count; m++)
        {
            var x = inputs[m];
            if (x.Rank != 2 || x.Size(1) != widths[m].Width || x.Size(0) != batch)
                throw new ArgumentException($"{op}: input '{widths[m].Name}' must be [{batch}, {widths[m].Width}]; got {Layout.Format(x.Shape)}.");
        }

        return batch;
    }
}
