namespace Fusion.Spec.Ir;

/// <summary>A learning rate for one parameter group (<c>encoders</c>, <c>context</c>, <c>fusion</c>, <c>heads</c> or a node's <c>group</c>).</summary>
public sealed record LearningRateGroup(string Group, double Lr);
