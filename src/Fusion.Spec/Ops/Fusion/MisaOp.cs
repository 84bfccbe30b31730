using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>misa</c>: shared and private subspaces per input, a transformer over the 2M vectors, concatenated.</summary>
internal sealed class MisaOp : OpDefinition
{
    public override string Name => "misa";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("hidden", 128),
        AttributeSchema.Activation(),
        AttributeSchema.Int("heads", 2),
        AttributeSchema.Dropout(0.1),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        int hidden = context.Attributes.Int("hidden");
        if (!context.RequireAllVectors() | !TransformerBlock.CheckHeads(context, hidden, "'hidden'"))
        {
            return null;
        }

        return OpOutput.Of(new ValueInfo(Shape.Of(2 * context.Inputs.Count * hidden), ModalityKind.Vector));
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int hidden = node.Attributes.GetInt("hidden");
        foreach (var input in node.Inputs)
        {
            sink.Linear($"project.{input.InputName}", hidden, input.Shape.Width);
        }

        foreach (var input in node.Inputs)
        {
            sink.Norm($"project_norm.{input.InputName}", hidden);
        }

        foreach (var input in node.Inputs)
        {
            sink.Linear($"private.{input.InputName}", hidden, hidden, bias: false);
        }

        sink.Linear("shared", hidden, hidden, bias: false);
        foreach (var input in node.Inputs)
        {
            sink.Linear($"reconstruct.{input.InputName}", hidden, hidden, bias: false);
        }

        TransformerBlock.AddParameters(sink.Scope("encoder"), 1, hidden, hidden);
    }
}
