using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops;

/// <summary>
/// One op of the spec language: the attributes it accepts, how it infers its output shape,
/// and the state-dict tensors it owns.
/// </summary>
internal abstract class OpDefinition
{
    public abstract string Name { get; }

    /// <summary>True for fusion ops (<c>inputs: [...]</c>); false for encoder ops (<c>input: x</c>).</summary>
    public virtual bool TakesSeveralInputs => false;

    public virtual int MinInputs => 1;

    public virtual int MaxInputs => TakesSeveralInputs ? int.MaxValue : 1;

    /// <summary>True for ops with one output member per input.</summary>
    public virtual bool IsMultiOutput => false;

    public abstract IReadOnlyList<AttributeSchema> Attributes { get; }

    /// <summary>Checks the inputs and attributes and returns the output, or null after reporting errors.</summary>
    public abstract OpOutput? Infer(OpContext context);

    /// <summary>Adds the node's trainable tensors, in the order of the spec language's state-dict column.</summary>
    public abstract void AddParameters(NodeSpec node, ParameterSink sink);

    /// <summary>Adds the node's non-trainable tensors (running statistics, fixed sketches).</summary>
    public virtual void AddBuffers(NodeSpec node, ParameterSink sink)
    {
    }
}
