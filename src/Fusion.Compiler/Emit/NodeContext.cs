using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit;

/// <summary>What an op family's emitter (Emit/Ops) sees of one node: the node, its inputs' expressions and lengths, and the values defined before it.</summary>
internal sealed class NodeContext
{
    public NodeContext(NodeSpec node, IReadOnlyList<string> inputs, IReadOnlyList<string> inputLengths, IDictionary<string, string> values)
    {
        Node = node;
        Inputs = inputs;
        InputLengths = inputLengths;
        Values = values;
    }

    public NodeSpec Node { get; }

    public EquatableArray<NodeAttribute> Attributes => Node.Attributes;

    /// <summary>The C# expression of each input's value, in input order.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>The inputs as a collection expression: <c>[a, b, c]</c>.</summary>
    public string List => "[" + string.Join(", ", Inputs) + "]";

    /// <summary>The C# expression of each input's lengths (<c>LongTensor?</c>), <c>"null"</c> for a vector or an unpadded sequence.</summary>
    public IReadOnlyList<string> InputLengths { get; }

    /// <summary>Every value defined so far (reference text to expression), e.g. a context section's vectors.</summary>
    public IDictionary<string, string> Values { get; }
}

/// <summary>What an op family's emitter sees of a loss attached to one of its nodes (<c>node:</c>).</summary>
internal sealed class NodeLossContext
{
    private readonly Func<string, string, string> represent;

    public NodeLossContext(ModelPlan plan, LossSpec loss, NodeSpec node, Func<string, string, string> represent)
    {
        Plan = plan;
        Loss = loss;
        Node = node;
        this.represent = represent;
    }

    public ModelPlan Plan { get; }

    public LossSpec Loss { get; }

    public NodeSpec Node { get; }

    /// <summary>
    /// The expression, in <c>Loss</c>, of a side value of the node (<see cref="NodeEmission.SideValues"/>'s key),
    /// exposed as the <c>Output</c> property <paramref name="property"/> (representation key <c>node + key</c>).
    /// </summary>
    public string Represent(string key, string property) => represent(key, property);
}
