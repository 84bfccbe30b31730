namespace Fusion.Spec.Ir;

/// <summary>Typed access to a list of resolved attributes.</summary>
public static class AttributeLookup
{
    public static AttributeValue? Find(this EquatableArray<NodeAttribute> attributes, string name)
    {
        foreach (var a in attributes)
        {
            if (a.Name == name)
            {
                return a.Value;
            }
        }

        return null;
    }

    public static AttributeValue Get(this EquatableArray<NodeAttribute> attributes, string name) =>
        attributes.Find(name) ?? throw new KeyNotFoundException($"no attribute '{name}'");

    public static int GetInt(this EquatableArray<NodeAttribute> attributes, string name) =>
        checked((int)((AttributeValue.Int)attributes.Get(name)).Value);

    public static double GetFloat(this EquatableArray<NodeAttribute> attributes, string name) =>
        attributes.Get(name) switch
        {
            AttributeValue.Float f => f.Value,
            AttributeValue.Int i => i.Value,
            var other => throw new InvalidCastException($"attribute '{name}' is {other.GetType().Name}, not a number"),
        };

    public static bool GetBool(this EquatableArray<NodeAttribute> attributes, string name) =>
        ((AttributeValue.Bool)attributes.Get(name)).Value;

    public static string GetText(this EquatableArray<NodeAttribute> attributes, string name) =>
        ((AttributeValue.Text)attributes.Get(name)).Value;

    public static EquatableArray<int> GetIntList(this EquatableArray<NodeAttribute> attributes, string name) =>
        ((AttributeValue.IntList)attributes.Get(name)).Values;

    public static EquatableArray<string> GetTextList(this EquatableArray<NodeAttribute> attributes, string name) =>
        ((AttributeValue.TextList)attributes.Get(name)).Values;

    public static EquatableArray<NamePair> GetPairList(this EquatableArray<NodeAttribute> attributes, string name) =>
        ((AttributeValue.PairList)attributes.Get(name)).Values;
}
