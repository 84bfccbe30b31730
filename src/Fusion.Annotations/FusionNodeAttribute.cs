using System;

namespace Fusion.Annotations;

/// <summary>
/// An entry of <c>fusion</c>: <c>[FusionNode("tfn", Op.Tensor, Inputs = ["text_h", "audio_h"])]</c>
/// is <c>tfn: { op: tensor, inputs: [text_h, audio_h] }</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FusionNodeAttribute : NodeAttribute
{
    public FusionNodeAttribute(string name, Op op)
        : base(name, op, null)
    {
    }

    /// <param name="name">The node's name.</param>
    /// <param name="op">The op as the spec writes it, for an op this version's <see cref="Op"/> lacks.</param>
    public FusionNodeAttribute(string name, string op)
        : base(name, null, op)
    {
    }
}
