using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit;

/// <summary>
/// Writes the stripped IR (<see cref="SpecStripper"/>) as C# object construction: the body of the
/// generated <c>BuildSpec()</c>, which returns a <c>FusionSpec</c> equal to <c>SpecStripper.Strip(spec)</c>.
/// Every location is the local <c>at</c> (an empty location).
/// </summary>
internal static class SpecLiteralWriter
{
    private const string Ir = "global::Fusion.Spec.Ir.";

    public static void Write(CodeWriter w, FusionSpec spec)
    {
        w.Line("var at = new global::Fusion.Spec.Diagnostics.SourceLocation(\"\", 0, 0);");
        w.Line($"return new {Ir}FusionSpec(");
        w.Indent();
        w.Line($"Model: {CSharpLiterals.String(spec.Model)},");
        w.Line($"Namespace: {CSharpLiterals.String(spec.Namespace)},");
        w.Line("SourcePath: \"\",");
        List(w, "Modalities", "ModalitySpec", spec.Modalities, Modality);
        List(w, "Nodes", "NodeSpec", spec.Nodes, Node);
        w.Line($"Context: {(spec.Context is { } c ? Context(c) : "null")},");
        List(w, "Heads", "HeadSpec", spec.Heads, Head);
        List(w, "Losses", "LossSpec", spec.Losses, Loss);
        w.Lines($"Training: {Training(spec.Training)},");
        w.Line($"Data: {Data(spec.Data)},");
        w.Line("SourceHash: \"\",");
        w.Line("Location: at);");
        w.Outdent();
    }

    private static void List<T>(CodeWriter w, string name, string type, EquatableArray<T> items, Func<T, string> write)
        where T : IEquatable<T>
    {
        if (items.Count == 0)
        {
            w.Line($"{name}: {Ir}EquatableArray<{Ir}{type}>.Empty,");
            return;
        }

        w.Line($"{name}: {Ir}EquatableArray.Create(");
        w.Indent();
        for (int i = 0; i < items.Count; i++)
        {
            w.Lines(write(items[i]) + (i + 1 < items.Count ? "," : "),"));
        }

        w.Outdent();
    }

    private static string Array<T>(string type, IEnumerable<T> items, Func<T, string> write)
    {
        var parts = items.Select(write).ToList();
        return parts.Count == 0
            ? $"{Ir}EquatableArray<{type}>.Empty"
            : $"{Ir}EquatableArray.Create<{type}>({string.Join(", ", parts)})";
    }

    /// <summary>An array of constructions, one per line (the writer indents every line of a multi-line literal).</summary>
    private static string Rows<T>(string type, IEnumerable<T> items, Func<T, string> write)
    {
        var parts = items.Select(write).ToList();
        return parts.Count == 0
            ? $"{Ir}EquatableArray<{type}>.Empty"
            : $"{Ir}EquatableArray.Create<{type}>(\n" + string.Join(",\n", parts.Select(Indent)) + ")";
    }

    /// <summary><c>new Type(</c>, then one argument per line.</summary>
    private static string Call(string type, params string[] arguments) =>
        $"new {Ir}{type}(\n" + string.Join(",\n", arguments.Select(Indent)) + ")";

    private static string Indent(string text) => "    " + text.Replace("\n", "\n    ");

    private static string Shape(Shape shape) => $"{Ir}Shape.Of({string.Join(", ", shape.Dims.Select(d => CSharpLiterals.Int(d)))})";

    private static string NullableShape(Shape? shape) => shape is null ? "null" : Shape(shape);

    private static string Enum<T>(T value)
        where T : struct => $"{Ir}{typeof(T).Name}.{value}";

    private static string NullableEnum<T>(T? value)
        where T : struct => value is T v ? Enum(v) : "null";

    private static string Modality(ModalitySpec m) =>
        $"new {Ir}ModalitySpec({CSharpLiterals.String(m.Name)}, {Shape(m.Shape)}, {Enum(m.Kind)}, {CSharpLiterals.NullableInt(m.Vocab)}, {CSharpLiterals.Bool(m.Optional)}, at)";

    private static string Reference(ValueReference r) =>
        $"new {Ir}ValueReference({CSharpLiterals.String(r.Producer)}, {CSharpLiterals.NullableString(r.Member)}, {Enum(r.ProducerKind)}, {Shape(r.Shape)}, {Enum(r.Kind)}, at)";

    private static string Attribute(NodeAttribute a) =>
        $"new {Ir}NodeAttribute({CSharpLiterals.String(a.Name)}, {Value(a.Value)}, {CSharpLiterals.Bool(a.IsExplicit)})";

    private static string Value(AttributeValue value) => value switch
    {
        AttributeValue.Int i => $"new {Ir}AttributeValue.Int({CSharpLiterals.Long(i.Value)})",
        AttributeValue.Float f => $"new {Ir}AttributeValue.Float({CSharpLiterals.Double(f.Value)})",
        AttributeValue.Bool b => $"new {Ir}AttributeValue.Bool({CSharpLiterals.Bool(b.Value)})",
        AttributeValue.Text t => $"new {Ir}AttributeValue.Text({CSharpLiterals.String(t.Value)})",
        AttributeValue.IntList l => $"new {Ir}AttributeValue.IntList({Array("int", l.Values, v => CSharpLiterals.Int(v))})",
        AttributeValue.TextList l => $"new {Ir}AttributeValue.TextList({Array("string", l.Values, CSharpLiterals.String)})",
        AttributeValue.PairList l => $"new {Ir}AttributeValue.PairList({Array(Ir + "NamePair", l.Values, p => $"new {Ir}NamePair({CSharpLiterals.String(p.First)}, {CSharpLiterals.String(p.Second)})")})",
        _ => throw new InvalidOperationException($"unknown attribute value {value.GetType().Name}"),
    };

    private static string Member(NodeMember m) =>
        $"new {Ir}NodeMember({CSharpLiterals.String(m.Name)}, {Shape(m.Shape)}, {Enum(m.Kind)})";

    private static string Node(NodeSpec n) => Call(
        "NodeSpec",
        CSharpLiterals.String(n.Name),
        Enum(n.Section),
        CSharpLiterals.String(n.Op),
        Rows(Ir + "ValueReference", n.Inputs, Reference),
        Rows(Ir + "NodeAttribute", n.Attributes, Attribute),
        NullableShape(n.Output),
        NullableEnum(n.OutputKind),
        Rows(Ir + "NodeMember", n.Members, Member),
        CSharpLiterals.String(n.Group),
        "at");

    private static string Context(ContextSpec c) =>
        $"new {Ir}ContextSpec({Array("string", c.Modalities, CSharpLiterals.String)}, {CSharpLiterals.Int(c.Width)}, {CSharpLiterals.Double(c.Std)}, " +
        $"{Array("int", c.Mlp, v => CSharpLiterals.Int(v))}, {CSharpLiterals.Int(c.Out)}, at)";

    private static string Head(HeadSpec h) => Call(
        "HeadSpec",
        CSharpLiterals.String(h.Name),
        Enum(h.Type),
        Reference(h.Input),
        CSharpLiterals.Int(h.Size),
        Array("int", h.Hidden, v => CSharpLiterals.Int(v)),
        CSharpLiterals.Double(h.Dropout),
        CSharpLiterals.NullableString(h.Target),
        Shape(h.OutputShape),
        NullableShape(h.TargetShape),
        "at");

    private static string Loss(LossSpec l) => Call(
        "LossSpec",
        Enum(l.Type),
        CSharpLiterals.String(l.Name),
        CSharpLiterals.Double(l.Weight),
        CSharpLiterals.NullableString(l.Head),
        Rows(Ir + "ValueReference", l.Between, Reference),
        CSharpLiterals.NullableString(l.Node),
        Rows(Ir + "NodeAttribute", l.Options, Attribute),
        "at");

    private static string Training(TrainingSpec t)
    {
        var o = t.Optimizer;
        var s = t.Schedule;
        string optimizer = $"new {Ir}OptimizerSpec({Enum(o.Type)}, {CSharpLiterals.Double(o.Lr)}, {CSharpLiterals.Double(o.WeightDecay)}, " +
            $"{CSharpLiterals.Double(o.Beta1)}, {CSharpLiterals.Double(o.Beta2)}, {CSharpLiterals.Double(o.Momentum)}, {CSharpLiterals.Bool(o.Nesterov)})";
        string groups = Array(Ir + "LearningRateGroup", t.LrGroups, g => $"new {Ir}LearningRateGroup({CSharpLiterals.String(g.Group)}, {CSharpLiterals.Double(g.Lr)})");
        string schedule = $"new {Ir}ScheduleSpec({Enum(s.Type)}, {CSharpLiterals.NullableInt(s.StepSize)}, {CSharpLiterals.NullableDouble(s.Gamma)}, " +
            $"{CSharpLiterals.NullableInt(s.TMax)}, {CSharpLiterals.NullableInt(s.Steps)}, {CSharpLiterals.NullableInt(s.Patience)}, {CSharpLiterals.NullableDouble(s.Factor)})";
        string early = t.EarlyStopping is { } e ? $"new {Ir}EarlyStoppingSpec({CSharpLiterals.Int(e.Patience)}, {CSharpLiterals.String(e.Metric)})" : "null";
        return Call(
            "TrainingSpec",
            optimizer,
            groups,
            schedule,
            CSharpLiterals.Int(t.Epochs),
            CSharpLiterals.Int(t.BatchSize),
            CSharpLiterals.Int(t.Seed),
            early,
            CSharpLiterals.NullableDouble(t.ClipGradNorm));
    }

    private static string Split(EquatableArray<double> split) => Array("double", split, CSharpLiterals.Double);

    private static string Data(DataSpec data) => data switch
    {
        DataSpec.Synthetic s => $"new {Ir}DataSpec.Synthetic({CSharpLiterals.Int(s.Samples)}, {CSharpLiterals.Int(s.Latent)}, {CSharpLiterals.Double(s.Noise)}, {CSharpLiterals.Int(s.Seed)}, {Split(s.Split)})",
        DataSpec.Npz n => $"new {Ir}DataSpec.Npz({CSharpLiterals.String(n.Path)}, {Split(n.Split)})",
        DataSpec.Npy n => $"new {Ir}DataSpec.Npy({CSharpLiterals.String(n.Path)})",
        DataSpec.Csv c => $"new {Ir}DataSpec.Csv({CSharpLiterals.String(c.Path)}, {Array(Ir + "CsvColumn", c.Columns, k => $"new {Ir}CsvColumn({CSharpLiterals.String(k.Name)}, {CSharpLiterals.String(k.From)}, {CSharpLiterals.NullableString(k.To)})")})",
        _ => throw new InvalidOperationException($"unknown data source {data.GetType().Name}"),
    };
}
