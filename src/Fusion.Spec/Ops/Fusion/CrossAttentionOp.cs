using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Fusion;

/// <summary>
/// <c>cross_attention</c>: MulT's crossmodal transformer, inputs <c>[target, source_1, ...]</c>;
/// one block stack per source, outputs concatenated on the feature axis.
/// </summary>
internal sealed class CrossAttentionOp : OpDefinition
{
    public override string Name => "cross_attention";

    public override bool TakesSeveralInputs => true;

    public override int MinInputs => 2;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("width", 30),
        AttributeSchema.Int("heads", 5),
        AttributeSchema.Int("layers", 4, ValueRange.LayerCount),
        AttributeSchema.Dropout(0.1),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        bool ok = true;
        foreach (var input in context.Inputs)
        {
            ok &= context.RequireKinds(input, ModalityKind.Sequence, ModalityKind.Vector);
        }

        int width = context.Attributes.Int("width");
        if (!ok || !TransformerBlock.CheckHeads(context, width, "the width"))
        {
            return null;
        }

        var target = context.Inputs[0];
        int steps = target.Value.Kind == ModalityKind.Vector ? 1 : target.Shape[0];
        int sources = context.Inputs.Count - 1;
        return OpOutput.Of(new ValueInfo(Shape.Of(steps, sources * width), ModalityKind.Sequence, null, target.Value.RootModality));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int width = node.Attributes.GetInt("width");
        foreach (var input in node.Inputs)
        {
            sink.Linear($"proj.{input.InputName}", width, input.Shape.Width, bias: false);
        }

        foreach (var source in node.Inputs.Skip(1))
        {
            var block = sink.Scope($"blocks.{source.InputName}");
            for (int i = 0; i < node.Attributes.GetInt("layers"); i++)
            {
                var layer = block.Scope($"layers.{i}");
                layer.Norm("norm_q", width);
                layer.Norm("norm_kv", width);
                layer.Norm("norm_ff", width);
                TransformerBlock.AddAttention(layer.Scope("attn"), width);
                layer.Linear("linear1", 4 * width, width);
                layer.Linear("linear2", width, 4 * width);
            }
        }
    }
}
