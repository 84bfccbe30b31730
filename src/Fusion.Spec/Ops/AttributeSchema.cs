using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops;

/// <summary>
/// One attribute an op accepts: its kind, default and range. <see cref="Default"/> null with
/// <see cref="Computed"/> false means required (FUS008 when missing); with <see cref="Computed"/>
/// true the op fills it in from the inputs (e.g. <c>self_attention</c>'s <c>width</c>).
/// </summary>
internal sealed record AttributeSchema(
    string Name,
    AttributeKind Kind,
    AttributeValue? Default,
    ValueRange Range = ValueRange.Any,
    IReadOnlyList<string>? Values = null,
    bool Computed = false)
{
    public bool IsRequired => Default is null && !Computed;

    public static AttributeSchema Int(string name, long? @default = null, ValueRange range = ValueRange.Positive) =>
        new(name, AttributeKind.Int, @default is null ? null : new AttributeValue.Int(@default.Value), range);

    public static AttributeSchema ComputedInt(string name, ValueRange range = ValueRange.Positive) =>
        new(name, AttributeKind.Int, null, range, Computed: true);

    public static AttributeSchema Float(string name, double? @default = null, ValueRange range = ValueRange.Any) =>
        new(name, AttributeKind.Float, @default is null ? null : new AttributeValue.Float(@default.Value), range);

    public static AttributeSchema Bool(string name, bool @default) =>
        new(name, AttributeKind.Bool, new AttributeValue.Bool(@default));

    public static AttributeSchema Enum(string name, string @default, params string[] values) =>
        new(name, AttributeKind.Enum, new AttributeValue.Text(@default), Values: values);

    public static AttributeSchema IntList(string name, int[]? @default, ValueRange range = ValueRange.Positive) =>
        new(name, AttributeKind.IntList, @default is null ? null : new AttributeValue.IntList(EquatableArray.Create(@default)), range);

    public static AttributeSchema ComputedTextList(string name) =>
        new(name, AttributeKind.TextList, null, Computed: true);

    public static AttributeSchema ComputedPairList(string name) =>
        new(name, AttributeKind.PairList, null, Computed: true);

    public static AttributeSchema Dropout(double @default = 0) => Float("dropout", @default, ValueRange.Probability);

    public static AttributeSchema Activation(string @default = "relu") =>
        Enum("activation", @default, "relu", "gelu", "tanh", "leaky_relu", "sigmoid");
}
