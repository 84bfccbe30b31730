using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>identity</c>: passes its input through.</summary>
internal sealed class IdentityOp : OpDefinition
{
    public override string Name => "identity";

    public override IReadOnlyList<AttributeSchema> Attributes { get; } = [];

    public override OpOutput? Infer(OpContext context) => OpOutput.Of(context.Inputs[0].Value);

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
    }
}
