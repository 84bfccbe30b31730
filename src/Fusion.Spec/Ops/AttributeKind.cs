namespace Fusion.Spec.Ops;

internal enum AttributeKind
{
    Int,
    Float,
    Bool,
    Enum,
    IntList,
    TextList,
    PairList,
}
