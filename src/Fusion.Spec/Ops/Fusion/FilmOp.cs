using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Fusion;

/// <summary><c>film</c>: <c>gamma(c) * x + beta(c)</c>, inputs <c>[x, condition]</c>.</summary>
internal sealed class FilmOp : OpDefinition
{
    public override string Name => "film";

    public override bool TakesSeveralInputs => true;

    public override int MinInputs => 2;

    public override int MaxInputs => 2;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } = [];

    public override OpOutput? Infer(OpContext context)
    {
        var x = context.Inputs[0];
        bool ok = context.RequireKinds(x, ModalityKind.Vector, ModalityKind.Sequence);
        ok &= context.RequireKind(context.Inputs[1], ModalityKind.Vector);
        return ok ? OpOutput.Of(x.Value with { Vocab = null }) : null;
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int d = node.Inputs[0].Shape.Width;
        int c = node.Inputs[1].Shape.Width;
        sink.Linear("gamma", d, c);
        sink.Linear("beta", d, c);
    }
}
