using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>self_attention</c>: input vectors as tokens (plus a modality embedding) through a transformer, pooled.</summary>
internal sealed class SelfAttentionOp : OpDefinition
{
    public override string Name => "self_attention";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.ComputedInt("width"),
        AttributeSchema.Int("heads", 4),
        AttributeSchema.Int("layers", 1, ValueRange.LayerCount),
        AttributeSchema.ComputedInt("ff"),
        AttributeSchema.Dropout(0.1),
        AttributeSchema.Enum("pool", "mean", "mean", "first", "flatten"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        if (!context.RequireAllVectors())
        {
            return null;
        }

        var a = context.Attributes;
        if (!a.Has("width"))
        {
            a.Set("width", new AttributeValue.Int(InputChecks.MaxWidth(context.Inputs)));
        }

        int width = a.Int("width");
        if (!a.Has("ff"))
        {
            a.Set("ff", new AttributeValue.Int(4L * width));
        }

        if (!TransformerBlock.CheckHeads(context, width, "the width"))
        {
            return null;
        }

        int outWidth = a.Text("pool") == "flatten" ? context.Inputs.Count * width : width;
        return OpOutput.Of(new ValueInfo(Shape.Of(outWidth), ModalityKind.Vector));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int width = node.Attributes.GetInt("width");
        foreach (var input in node.Inputs)
        {
            sink.Linear($"proj.{input.InputName}", width, input.Shape.Width);
        }

        sink.Add("modality_embedding", node.Inputs.Count, width);
        TransformerBlock.AddParameters(sink.Scope("encoder"), node.Attributes.GetInt("layers"), width, node.Attributes.GetInt("ff"));
    }
}
