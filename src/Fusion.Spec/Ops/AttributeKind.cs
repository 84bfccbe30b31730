namespace Fusion.Spec.Ops;

internal enum AttributeKind
{
    Int,
    Float,
    Bool,
    Enum,
    Text,
    IntList,
    TextList,
    PairList,
}
