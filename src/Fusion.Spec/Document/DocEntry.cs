namespace Fusion.Spec.Document;

/// <summary>One key: value pair of a map; the key keeps its own location.</summary>
public sealed class DocEntry
{
    public DocEntry(DocScalar key, DocNode value)
    {
        Key = key;
        Value = value;
    }

    public DocScalar Key { get; }

    public DocNode Value { get; }
}
