using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Ir;

/// <summary>
/// A checked spec: the flat, typed IR of one model. <see cref="Nodes"/> are in topological
/// order (ties kept in declaration order, encoders before fusion), every shape inferred.
/// Immutable with structural equality.
/// </summary>
public sealed record FusionSpec(
    string Model,
    string Namespace,
    string SourcePath,
    EquatableArray<ModalitySpec> Modalities,
    EquatableArray<NodeSpec> Nodes,
    ContextSpec? Context,
    EquatableArray<HeadSpec> Heads,
    EquatableArray<LossSpec> Losses,
    TrainingSpec Training,
    DataSpec Data,
    string SourceHash,
    SourceLocation Location)
{
    public const string DefaultNamespace = "Fusion.Models";

    public ModalitySpec? FindModality(string name) => Modalities.FirstOrDefault(m => m.Name == name);

    public NodeSpec? FindNode(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    public HeadSpec? FindHead(string name) => Heads.FirstOrDefault(h => h.Name == name);
}
