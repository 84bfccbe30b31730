using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit.Ops;

/// <summary>
/// Emits misa and its node losses: cmd, difference, reconstruction (methods.md section 4). The node is a
/// <c>SharedPrivateFusion</c> whose value is its <c>.Fused</c> vector; every input's <c>u_m</c>, <c>p_m</c>,
/// <c>s_m</c> and <c>u_hat_m</c> is a side value (<c>node:projected.m</c>, <c>node:private.m</c>,
/// <c>node:shared.m</c>, <c>node:reconstructed.m</c>, m the input's index) that a loss exposes as an
/// <c>Output</c> property when it reads it.
/// </summary>
internal static class MisaEmission
{
    private const string Ops = "global::Fusion.Runtime.Operators.";
    private const string Nn = "global::Fusion.Runtime.Nn.";
    private const string LossFn = "global::Fusion.Runtime.Losses.Loss.";

    // The per-input side values: key prefix and the result's list property.
    private static readonly (string Key, string Property) Projected = (":projected.", "Projected");
    private static readonly (string Key, string Property) Private = (":private.", "Private");
    private static readonly (string Key, string Property) Shared = (":shared.", "Shared");
    private static readonly (string Key, string Property) Reconstructed = (":reconstructed.", "Reconstructed");
    private static readonly (string Key, string Property)[] Parts = [Projected, Private, Shared, Reconstructed];

    /// <summary>The node's emission, or null when the op is not supported (FUS200 at the node).</summary>
    public static NodeEmission? Node(NodeContext context)
    {
        var a = context.Attributes;
        string type = Ops + "SharedPrivateFusion";
        string widths = "[" + string.Join(", ", context.Node.Inputs.Select(i => $"new {Ops}InputWidth({CSharpLiterals.String(i.InputName)}, {i.Shape.Width})")) + "]";
        string constructor = $"new {type}({widths}, {a.GetInt("hidden")}, {a.GetInt("heads")}, {CSharpLiterals.Float(a.GetFloat("dropout"))}, generator, " +
            $"{Nn}Activation.{Identifiers.Pascal(a.GetText("activation"))})";
        var emission = NodeEmission.Module(type, constructor, $"this.FIELD.Forward({context.List})");
        emission.ValueSuffix = ".Fused";
        foreach (var (key, property) in Parts)
        {
            for (int m = 0; m < context.Inputs.Count; m++)
            {
                emission.SideValues.Add((key + m.ToString(System.Globalization.CultureInfo.InvariantCulture), $".{property}[{m}]"));
            }
        }

        return emission;
    }

    /// <summary>The expression of a loss on one of this family's nodes, or null when not supported (FUS200 at the loss).</summary>
    public static string? Loss(NodeLossContext context) => context.Loss.Type switch
    {
        LossType.Cmd => $"{LossFn}MisaSimilarity({Vectors(context, Shared)}, {context.Loss.Options.GetInt("moments")})",
        LossType.Difference => $"{LossFn}MisaDifference({Vectors(context, Private)}, {Vectors(context, Shared)})",
        LossType.Reconstruction => $"{LossFn}MisaReconstruction({Vectors(context, Reconstructed)}, {Vectors(context, Projected)})",
        _ => null,
    };

    /// <summary>Every input's side value of one part, exposed as Output properties, as a collection expression.</summary>
    private static string Vectors(NodeLossContext context, (string Key, string Property) part)
    {
        var (key, property) = part;
        var vectors = Enumerable.Range(0, context.Node.Inputs.Count).Select(m =>
        {
            string index = m.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return context.Represent(key + index, Identifiers.Pascal(context.Node.Name) + property + index);
        });
        return "[" + string.Join(", ", vectors) + "]";
    }
}
