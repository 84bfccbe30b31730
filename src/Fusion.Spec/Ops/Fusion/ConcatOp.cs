using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>concat</c>: vectors end to end, or aligned sequences on the feature axis.</summary>
internal sealed class ConcatOp : OpDefinition
{
    public override string Name => "concat";

    public override bool TakesSeveralInputs => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } = [];

    public override OpOutput? Infer(OpContext context)
    {
        var first = context.Inputs[0];
        if (!context.RequireKinds(first, ModalityKind.Vector, ModalityKind.Sequence))
        {
            return null;
        }

        int width = context.Inputs.Sum(i => i.Width);
        if (first.Value.Kind == ModalityKind.Vector)
        {
            return context.RequireAllVectors() ? OpOutput.Of(new ValueInfo(Shape.Of(width), ModalityKind.Vector)) : null;
        }

        int length = first.Shape[0];
        bool ok = true;
        foreach (var input in context.Inputs.Skip(1))
        {
            if (!context.RequireKind(input, ModalityKind.Sequence))
            {
                ok = false;
                continue;
            }

            int n = input.Shape[0];
            if (n != Shape.Open && length != Shape.Open && n != length)
            {
                context.ShapeError(input, $"a sequence of {length} steps like its first input '{first.Reference.Text}' (concatenated sequences must be aligned)");
                ok = false;
            }
            else if (length == Shape.Open)
            {
                length = n;
            }
        }

        return ok ? OpOutput.Of(new ValueInfo(Shape.Of(length, width), ModalityKind.Sequence)) : null;
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
    }
}
