using System.Globalization;

namespace Fusion.Spec.Ir;

/// <summary>A typed attribute value of a node, loss option or similar.</summary>
public abstract record AttributeValue
{
    private protected AttributeValue()
    {
    }

    public sealed record Int(long Value) : AttributeValue
    {
        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }

    public sealed record Float(double Value) : AttributeValue
    {
        public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
    }

    public sealed record Bool(bool Value) : AttributeValue
    {
        public override string ToString() => Value ? "true" : "false";
    }

    /// <summary>A string, or one of an enum's accepted values.</summary>
    public sealed record Text(string Value) : AttributeValue
    {
        public override string ToString() => Value;
    }

    public sealed record IntList(EquatableArray<int> Values) : AttributeValue
    {
        public override string ToString() => Values.ToString();
    }

    public sealed record TextList(EquatableArray<string> Values) : AttributeValue
    {
        public override string ToString() => Values.ToString();
    }

    /// <summary>A list of pairs of names (graph edges).</summary>
    public sealed record PairList(EquatableArray<NamePair> Values) : AttributeValue
    {
        public override string ToString() => Values.ToString();
    }
}
