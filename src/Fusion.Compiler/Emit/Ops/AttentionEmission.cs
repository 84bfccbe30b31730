using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit.Ops;

/// <summary>
/// Emits cross_attention (MulT), self_attention and co_attention (methods.md section 2) as the runtime's
/// <c>CrossModalAttention</c>, <c>SelfAttentionFusion</c> and <c>CoAttention</c>. The sequence ops receive
/// their inputs' lengths (key padding); cross_attention's output keeps the target's (the first input's) lengths.
/// </summary>
internal static class AttentionEmission
{
    private const string Ops = "global::Fusion.Runtime.Operators.";

    /// <summary>The node's emission, or null when the op is not supported (FUS200 at the node).</summary>
    public static NodeEmission? Node(NodeContext context)
    {
        var a = context.Attributes;
        string dropout = CSharpLiterals.Float(a.GetFloat("dropout"));
        switch (context.Node.Op)
        {
            case "cross_attention":
            {
                string type = Ops + "CrossModalAttention";
                string constructor = $"new {type}({Widths(context.Node)}, {a.GetInt("width")}, {a.GetInt("heads")}, {a.GetInt("layers")}, {dropout}, generator)";
                var emission = NodeEmission.Module(type, constructor, $"this.FIELD.Forward({context.List}{LengthsArgument(context)})");
                emission.KeepLengths = true;
                return emission;
            }

            case "self_attention":
            {
                string type = Ops + "SelfAttentionFusion";
                string pool = $"{Ops}SelfAttentionPool.{Identifiers.Pascal(a.GetText("pool"))}";
                string constructor = $"new {type}({Widths(context.Node)}, {a.GetInt("width")}, {a.GetInt("heads")}, {a.GetInt("layers")}, {a.GetInt("ff")}, {dropout}, {pool}, generator)";
                return NodeEmission.Module(type, constructor, $"this.FIELD.Forward({context.List})");
            }

            case "co_attention":
            {
                string type = Ops + "CoAttention";
                string pool = $"{Ops}PoolMode.{Identifiers.Pascal(a.GetText("pool"))}";
                string constructor = $"new {type}({Widths(context.Node)}, {a.GetInt("width")}, {a.GetInt("heads")}, {dropout}, {pool}, generator)";
                return NodeEmission.Module(type, constructor, $"this.FIELD.Forward({context.List}{LengthsArgument(context)})");
            }

            default:
                return null;
        }
    }

    /// <summary>The inputs' names and widths, as the runtime's per-input keys use them.</summary>
    private static string Widths(NodeSpec node) =>
        "[" + string.Join(", ", node.Inputs.Select(i => $"new {Ops}InputWidth({CSharpLiterals.String(i.InputName)}, {i.Shape.Width})")) + "]";

    /// <summary><c>, [l_1, l_2, ...]</c> with every input's lengths, or nothing when no input has any.</summary>
    private static string LengthsArgument(NodeContext context) =>
        context.InputLengths.All(l => l == "null") ? string.Empty : ", [" + string.Join(", ", context.InputLengths) + "]";
}
