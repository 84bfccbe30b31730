namespace Fusion.Compiler.Graph;

/// <summary>What a vertex of a drawn fusion graph stands for.</summary>
public enum GraphVertexKind
{
    Modality,
    Context,
    Node,
    Head,
    Loss,
}
