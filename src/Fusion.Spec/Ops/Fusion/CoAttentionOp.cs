using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>co_attention</c>: cross attention in both directions between two inputs, pooled and concatenated.</summary>
internal sealed class CoAttentionOp : OpDefinition
{
    public override string Name => "co_attention";

    public override bool TakesSeveralInputs => true;

    public override int MinInputs => 2;

    public override int MaxInputs => 2;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.ComputedInt("width"),
        AttributeSchema.Int("heads", 4),
        AttributeSchema.Dropout(0.1),
        AttributeSchema.Enum("pool", "mean", "mean", "max", "min", "first", "last"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        bool ok = true;
        foreach (var input in context.Inputs)
        {
            ok &= context.RequireKinds(input, ModalityKind.Vector, ModalityKind.Sequence);
        }

        if (!ok)
        {
            return null;
        }

        var a = context.Attributes;
        if (!a.Has("width"))
        {
            a.Set("width", new AttributeValue.Int(InputChecks.MaxWidth(context.Inputs)));
        }

        int width = a.Int("width");
        return TransformerBlock.CheckHeads(context, width, "the width")
            ? OpOutput.Of(new ValueInfo(Shape.Of(2 * width), ModalityKind.Vector))
            : null;
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int width = node.Attributes.GetInt("width");
        foreach (var input in node.Inputs)
        {
            sink.Linear($"proj.{input.InputName}", width, input.Shape.Width);
        }

        TransformerBlock.AddAttention(sink.Scope("a_to_b"), width);
        TransformerBlock.AddAttention(sink.Scope("b_to_a"), width);
    }
}
