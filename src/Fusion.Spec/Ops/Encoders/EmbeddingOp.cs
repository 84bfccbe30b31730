using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>embedding</c>: token ids to vectors. Adds the derived attribute <c>vocab</c> (from the tokens modality).</summary>
internal sealed class EmbeddingOp : OpDefinition
{
    public override string Name => "embedding";

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("dim"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        var input = context.Inputs[0];
        if (!context.RequireKind(input, ModalityKind.Tokens) || input.Value.Vocab is not int vocab)
        {
            return null;
        }

        context.Attributes.Set("vocab", new AttributeValue.Int(vocab));
        return OpOutput.Of(new ValueInfo(Shape.Of(input.Shape[0], context.Attributes.Int("dim")), ModalityKind.Sequence, null, input.Value.RootModality));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink) =>
        sink.Add("weight", node.Attributes.GetInt("vocab"), node.Attributes.GetInt("dim"));
}
