using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>mlp</c>: Linear layers with an activation (and optional norm, dropout) between, applied per token.</summary>
internal sealed class MlpOp : OpDefinition
{
    public override string Name => "mlp";

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.IntList("hidden", []),
        AttributeSchema.Int("out"),
        AttributeSchema.Activation(),
        AttributeSchema.Dropout(),
        AttributeSchema.Enum("norm", "none", "none", "layer", "batch"),
        AttributeSchema.Bool("final_activation", false),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        var input = context.Inputs[0];
        if (!context.RequireKinds(input, ModalityKind.Vector, ModalityKind.Sequence))
        {
            return null;
        }

        return OpOutput.Of(input.Value with { Shape = MlpBlock.PerToken(input.Shape, context.Attributes.Int("out")) });
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink) =>
        MlpBlock.AddParameters(
            sink,
            node.Inputs[0].Shape.Width,
            node.Attributes.GetIntList("hidden"),
            node.Attributes.GetInt("out"),
            node.Attributes.GetText("norm") != "none");

    public override void AddBuffers(NodeSpec node, ParameterSink sink)
    {
        if (node.Attributes.GetText("norm") == "batch")
        {
            MlpBlock.AddBatchNormBuffers(sink, node.Attributes.GetIntList("hidden"));
        }
    }
}
