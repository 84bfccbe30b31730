using System;

namespace Fusion.Annotations;

/// <summary>
/// An entry of <c>encoders</c>: <c>[Encoder("text_h", Op.Mlp, Input = "text", Hidden = [128], Out = 32)]</c>
/// is <c>text_h: { op: mlp, input: text, hidden: [128], out: 32 }</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EncoderAttribute : NodeAttribute
{
    public EncoderAttribute(string name, Op op)
        : base(name, op, null)
    {
    }

    /// <param name="name">The node's name.</param>
    /// <param name="op">The op as the spec writes it, for an op this version's <see cref="Op"/> lacks.</param>
    public EncoderAttribute(string name, string op)
        : base(name, null, op)
    {
    }
}
