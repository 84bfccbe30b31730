using Fusion.Spec.Ir;

namespace Fusion.Spec;

/// <summary>One tensor of a model's state dict: its PyTorch key and shape.</summary>
public sealed record ParameterInfo(string Key, Shape Shape)
{
    public override string ToString() => $"{Key} {Shape}";
}
