using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops;

/// <summary>
/// The attributes of one node while it is checked: the values written (with their locations),
/// defaults for the rest, and values an op computes from its inputs.
/// </summary>
internal sealed class AttributeSet
{
    private readonly List<Entry> entries = [];
    private readonly SourceLocation nodeLocation;

    public AttributeSet(SourceLocation nodeLocation)
    {
        this.nodeLocation = nodeLocation;
    }

    /// <summary>False when some value could not be read; the node is then not inferred.</summary>
    public bool IsComplete => entries.All(e => e.Value is not null || e.Computed);

    public void Add(string name, AttributeValue? value, bool isExplicit, SourceLocation? location, bool computed = false) =>
        entries.Add(new Entry(name, value, isExplicit, location ?? nodeLocation, computed));

    public bool IsExplicit(string name) => Find(name)?.IsExplicit ?? false;

    public bool Has(string name) => Find(name)?.Value is not null;

    public SourceLocation LocationOf(string name) => Find(name)?.Location ?? nodeLocation;

    public AttributeValue Get(string name) =>
        Find(name)?.Value ?? throw new InvalidOperationException($"attribute '{name}' has no value");

    public int Int(string name) => checked((int)((AttributeValue.Int)Get(name)).Value);

    public double Float(string name) => Get(name) switch
    {
        AttributeValue.Float f => f.Value,
        AttributeValue.Int i => i.Value,
        _ => throw new InvalidOperationException($"attribute '{name}' is not a number"),
    };

    public bool Bool(string name) => ((AttributeValue.Bool)Get(name)).Value;

    public string Text(string name) => ((AttributeValue.Text)Get(name)).Value;

    public EquatableArray<int> IntList(string name) => ((AttributeValue.IntList)Get(name)).Values;

    public EquatableArray<string> TextList(string name) => ((AttributeValue.TextList)Get(name)).Values;

    public EquatableArray<NamePair> PairList(string name) => ((AttributeValue.PairList)Get(name)).Values;

    /// <summary>Sets the value of a computed attribute, or adds a derived one.</summary>
    public void Set(string name, AttributeValue value)
    {
        var entry = Find(name);
        if (entry is null)
        {
            entries.Add(new Entry(name, value, false, nodeLocation, true));
        }
        else
        {
            entry.Value = value;
        }
    }

    public EquatableArray<NodeAttribute> ToResolved() =>
        entries
            .Where(e => e.Value is not null)
            .Select(e => new NodeAttribute(e.Name, e.Value!, e.IsExplicit))
            .ToEquatableArray();

    private Entry? Find(string name) => entries.FirstOrDefault(e => e.Name == name);

    private sealed class Entry(string name, AttributeValue? value, bool isExplicit, SourceLocation location, bool computed)
    {
        public string Name { get; } = name;

        public AttributeValue? Value { get; set; } = value;

        public bool IsExplicit { get; } = isExplicit;

        public SourceLocation Location { get; } = location;

        public bool Computed { get; } = computed;
    }
}
