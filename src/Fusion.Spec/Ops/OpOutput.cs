namespace Fusion.Spec.Ops;

/// <summary>The result of inferring one node: a single value, or named members.</summary>
internal sealed class OpOutput
{
    private OpOutput(ValueInfo? single, IReadOnlyList<(string Name, ValueInfo Value)> members)
    {
        Single = single;
        Members = members;
    }

    public ValueInfo? Single { get; }

    public IReadOnlyList<(string Name, ValueInfo Value)> Members { get; }

    public static OpOutput Of(ValueInfo value) => new(value, []);

    public static OpOutput OfMembers(IReadOnlyList<(string Name, ValueInfo Value)> members) => new(null, members);
}
