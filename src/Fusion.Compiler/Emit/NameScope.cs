namespace Fusion.Compiler.Emit;

/// <summary>
/// Hands out unique C# identifiers within one scope (a class's members, a method's locals):
/// the requested name when it is free, else the name followed by underscores until it is.
/// Reserved names (the generated code's own members and locals) are never handed out.
/// </summary>
internal sealed class NameScope
{
    private readonly HashSet<string> taken;

    public NameScope(IEnumerable<string> reserved)
    {
        taken = new HashSet<string>(reserved, StringComparer.Ordinal);
    }

    /// <summary>A unique identifier for <paramref name="name"/> (escaped with <c>@</c> when a keyword).</summary>
    public string Claim(string name)
    {
        string candidate = name;
        while (taken.Contains(candidate))
        {
            candidate += "_";
        }

        taken.Add(candidate);
        return Identifiers.Escape(candidate);
    }
}
