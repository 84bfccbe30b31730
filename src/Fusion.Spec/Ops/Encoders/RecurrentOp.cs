using Fusion.Spec.Ir;

namespace Fusion.Spec.Ops.Encoders;

/// <summary><c>gru</c> and <c>lstm</c>: PyTorch's recurrent layers, the last step or every step.</summary>
internal sealed class RecurrentOp : OpDefinition
{
    private readonly int gates;

    private RecurrentOp(string name, int gates)
    {
        Name = name;
        this.gates = gates;
    }

    public static RecurrentOp Gru { get; } = new("gru", 3);

    public static RecurrentOp Lstm { get; } = new("lstm", 4);

    public override string Name { get; }

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Int("hidden"),
        AttributeSchema.Int("layers", 1, ValueRange.LayerCount),
        AttributeSchema.Bool("bidirectional", false),
        AttributeSchema.Dropout(),
        AttributeSchema.Enum("return", "last", "last", "all"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        var input = context.Inputs[0];
        if (!context.RequireKind(input, ModalityKind.Sequence))
        {
            return null;
        }

        var a = context.Attributes;
        int width = (a.Bool("bidirectional") ? 2 : 1) * a.Int("hidden");
        var value = a.Text("return") == "all"
            ? input.Value with { Shape = Shape.Of(input.Shape[0], width) }
            : input.Value with { Shape = Shape.Of(width), Kind = ModalityKind.Vector };
        return OpOutput.Of(value);
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        var a = node.Attributes;
        int hidden = a.GetInt("hidden");
        int directions = a.GetBool("bidirectional") ? 2 : 1;
        for (int k = 0; k < a.GetInt("layers"); k++)
        {
            int inWidth = k == 0 ? node.Inputs[0].Shape.Width : directions * hidden;
            for (int d = 0; d < directions; d++)
            {
                string suffix = $"_l{k}" + (d == 1 ? "_reverse" : "");
                sink.Add("weight_ih" + suffix, gates * hidden, inWidth);
                sink.Add("weight_hh" + suffix, gates * hidden, hidden);
                sink.Add("bias_ih" + suffix, gates * hidden);
                sink.Add("bias_hh" + suffix, gates * hidden);
            }
        }
    }
}
