using Fusion.Spec.Ir;

namespace Fusion.Generators.Model;

/// <summary>
/// One Fusion attribute on the model class: its short name (<c>Modality</c>, <c>Encoder</c>), where
/// it is written, its constructor arguments in parameter order and its named arguments as written.
/// </summary>
internal sealed record AttributeInfo(
    string Name,
    LocationInfo Location,
    EquatableArray<ArgumentInfo> Constructor,
    EquatableArray<ArgumentInfo> Named)
{
    public ArgumentInfo? ConstructorArgument(int index) => index < Constructor.Count ? Constructor[index] : null;
}
