using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops;

/// <summary>One resolved input of a node being inferred.</summary>
internal sealed record InputValue(ValueReference Reference, ValueInfo Value)
{
    public Shape Shape => Value.Shape;

    public int Width => Value.Shape.Width;

    public string Name => Reference.InputName;

    /// <summary>"modality 'audio'", "node 'text_h'" or "member 'cb.text'", for messages.</summary>
    public string Subject => Reference.ProducerKind switch
    {
        ProducerKind.Modality => $"modality '{Reference.Text}'",
        ProducerKind.Head => $"head '{Reference.Text}'",
        _ => Reference.Member is null ? $"node '{Reference.Text}'" : $"member '{Reference.Text}'",
    };
}
