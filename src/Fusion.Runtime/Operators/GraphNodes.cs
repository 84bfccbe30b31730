using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// The modality vectors as the nodes of a graph fusion operator (GCN, GAT): each input projected to
/// the node width when its own width differs (<c>proj.&lt;input&gt;</c>), stacked to <c>[B, M, width]</c>;
/// and the readout of the final node states.
/// </summary>
internal static class GraphNodes
{
    /// <summary>
    /// A Linear for every input whose width is not <paramref name="width"/> (null for the others) and the
    /// dictionary the owner registers under <c>proj</c> (null when no input needs one).
    /// </summary>
    public static (ModuleDict<Linear>? Dictionary, Linear?[] ByInput) Projections(IReadOnlyList<InputWidth> inputs, int width, RandomSource generator)
    {
        var byInput = new Linear?[inputs.Count];
        if (inputs.All(i => i.Width == width)) return (null, byInput);
        var dictionary = new ModuleDict<Linear>();
        for (int m = 0; m < inputs.Count; m++)
        {
            if (inputs[m].Width == width) continue;
            byInput[m] = new Linear(inputs[m].Width, width, generator);
            dictionary.Add(inputs[m].Name, byInput[m]!);
        }

        return (dictionary, byInput);
    }

    /// <summary>The inputs, each projected where it has a projection, as nodes <c>[B, M, width]</c>.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> xs, Linear?[] projections)
    {
        var nodes = new Tensor[xs.Count];
        for (int m = 0; m < xs.Count; m++) nodes[m] = projections[m] is { } p ? p.Forward(xs[m]) : xs[m];
        return Tensor.Stack(nodes, 1);
    }

    /// <summary>Node states <c>[B, M, F]</c> to <c>[B, F]</c> (mean) or <c>[B, M*F]</c> (concat).</summary>
    public static Tensor Read(GraphReadout readout, Tensor h) => readout == GraphReadout.Mean ? h.Mean(1) : h.Reshape(h.Size(0), -1);
}
