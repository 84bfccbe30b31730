namespace Fusion.Spec.Ir;

/// <summary>The spec section a node was declared in.</summary>
public enum NodeSection
{
    Encoders,
    Fusion,
}
