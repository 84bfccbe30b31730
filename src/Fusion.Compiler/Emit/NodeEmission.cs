namespace Fusion.Compiler.Emit;

/// <summary>
/// What one IR node contributes to the generated module: the module it registers (type and
/// construction; none for a pure expression), the expression of its <c>Forward</c> statement
/// (<c>this.FIELD</c> stands for the module), how its value is read from its local, and the
/// named side values that its node losses read (MISA's shared vectors, GAN-Fusion's logits).
/// </summary>
internal sealed class NodeEmission
{
    public NodeEmission(string call)
    {
        Call = call;
    }

    public string Call { get; }

    public string? Type { get; set; }

    public string? Constructor { get; set; }

    /// <summary>How the node's value is read from its local (<c>.Latent</c>), when not the local itself.</summary>
    public string? ValueSuffix { get; set; }

    /// <summary>The output has the first input's sequence lengths.</summary>
    public bool KeepLengths { get; set; }

    /// <summary>
    /// Values a node loss reads, as (key, suffix): <c>values[node + key] = local + suffix</c>, e.g.
    /// (<c>":shared"</c>, <c>".Shared"</c>). A loss exposes one through <see cref="NodeLossContext.Represent"/>.
    /// </summary>
    public List<(string Key, string Suffix)> SideValues { get; } = new();

    public static NodeEmission Module(string type, string constructor, string call) =>
        new NodeEmission(call) { Type = type, Constructor = constructor };
}
