using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Document;

/// <summary>
/// The untyped document a spec is read from: maps, lists and scalars, each with the location
/// it came from. The YAML reader produces it; any other front end (C# attributes) can build
/// one too, and the same binder checks it and builds the IR.
/// </summary>
public abstract class DocNode
{
    private protected DocNode(SourceLocation location)
    {
        Location = location;
    }

    public SourceLocation Location { get; }

    /// <summary>A short description for messages: "a map", "a list", "the string 'abc'".</summary>
    public abstract string Describe();
}
