using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit.Ops;

/// <summary>
/// Emits ganfusion and its adversarial loss (methods.md section 3): the runtime's <c>GanFusion</c>,
/// whose value is the fused vector. The <c>adversarial</c> loss is the generators' term
/// <c>sum_t BCE(D_t(z_g^t), 1)</c>; it also puts the node's generated and real latents and its
/// reconstruction errors among the outputs (<c>node:generated</c>, <c>node:real</c>,
/// <c>node:reconstruction_errors</c>, the keys of the runtime's <c>GanFusion.*Key</c>), from which the
/// trainer's adversary steps (the discriminators on real and on fake, and L_AF) compute their losses.
/// </summary>
internal static class GanFusionEmission
{
    private const string Ops = "global::Fusion.Runtime.Operators.";

    private static readonly (string Key, string Suffix, string Property)[] Sides =
    [
        (":generated", ".Generated", "Generated"),
        (":real", ".Real", "Real"),
        (":reconstruction_errors", ".ReconstructionErrors", "ReconstructionErrors"),
    ];

    /// <summary>The node's emission, or null when the op is not supported (FUS200 at the node).</summary>
    public static NodeEmission? Node(NodeContext context)
    {
        var node = context.Node;
        if (node.Inputs.Any(i => i.Kind != ModalityKind.Vector))
        {
            return null;
        }

        string type = Ops + "GanFusion";
        string inputs = "[" + string.Join(", ", node.Inputs.Select(i => $"new {Ops}InputWidth({CSharpLiterals.String(i.InputName)}, {CSharpLiterals.Int(i.Shape.Width)})")) + "]";
        var emission = NodeEmission.Module(
            type,
            $"new {type}({inputs}, {CSharpLiterals.Int(context.Attributes.GetInt("latent"))}, generator)",
            $"this.FIELD.Forward({context.List})");
        emission.ValueSuffix = ".Fused";
        foreach (var (key, suffix, _) in Sides)
        {
            emission.SideValues.Add((key, suffix));
        }

        return emission;
    }

    /// <summary>The expression of a loss on one of this family's nodes, or null when not supported (FUS200 at the loss).</summary>
    public static string? Loss(NodeLossContext context)
    {
        var module = context.Plan.Modules.FirstOrDefault(m => m.Key == context.Node.Name);
        if (context.Loss.Type != LossType.Adversarial || module is null)
        {
            return null;
        }

        string prefix = Identifiers.Pascal(context.Node.Name);
        var represented = Sides.Select(s => context.Represent(s.Key, prefix + s.Property)).ToList();
        return $"this.{module.Field}.GeneratorLoss({represented[0]})";
    }
}
