namespace Fusion.Spec.Ir;

/// <summary>One named output of a multi-output node (<c>cbmf</c>, <c>modality_dropout</c>).</summary>
public sealed record NodeMember(string Name, Shape Shape, ModalityKind Kind);
