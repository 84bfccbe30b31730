using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit;

/// <summary>
/// Writes the body of the generated <c>BuildDescriptor()</c>: the runtime's <c>ModelDescriptor</c>
/// (modalities and targets as data descriptors, heads with their kinds, parameter groups, and
/// the training and data settings of the spec as plain runtime records), and, when a
/// <c>between</c> loss ties two embedding heads of one width, its <c>RetrievalPairs</c>.
/// </summary>
internal static class DescriptorWriter
{
    private const string Data = "global::Fusion.Runtime.Data.";
    private const string Models = "global::Fusion.Runtime.Models.";

    public static void Write(CodeWriter w, ModelPlan plan)
    {
        var spec = plan.Spec;
        w.Line($"return new {Models}ModelDescriptor(");
        w.Indent();
        w.Line($"Name: {CSharpLiterals.String(spec.Model)},");
        List(w, "Modalities", spec.Modalities.Select(m =>
            $"new {Data}ModalityDescriptor({CSharpLiterals.String(m.Name)}, {CSharpLiterals.IntList(m.Shape.Dims)}, {Data}ModalityKind.{m.Kind}, " +
            $"{CSharpLiterals.NullableInt(m.Vocab)}, {CSharpLiterals.Bool(m.Optional)})"));
        List(w, "Targets", plan.Targets.Select(t =>
            $"new {Data}TargetDescriptor({CSharpLiterals.String(t.Name)}, {Data}TargetKind.{TargetKind(t.HeadType)}, {t.Width})"));
        List(w, "Heads", spec.Heads.Select(h =>
            $"new {Models}HeadDescriptor({CSharpLiterals.String(h.Name)}, {Models}HeadKind.{h.Type}, {h.Size}, {CSharpLiterals.NullableString(h.Target)})"));
        var groups = new List<(string Prefix, string Group)>();
        if (spec.Context is not null)
        {
            groups.Add(("context.", "context"));
        }

        groups.AddRange(spec.Nodes.Select(n => (n.Name + ".", n.Group)));
        groups.AddRange(spec.Heads.Select(h => (h.Name + ".", "heads")));
        groups.Add(("losses.", "heads"));
        List(w, "ParameterGroups", groups.Select(g => $"new {Models}ParameterGroupDescriptor({CSharpLiterals.String(g.Prefix)}, {CSharpLiterals.String(g.Group)})"));
        w.Lines($"Training: {Training(spec.Training)},");
        var pairs = RetrievalPairs(spec);
        w.Line($"Data: {DataSettings(spec.Data)})" + (pairs.Count == 0 ? ";" : string.Empty));
        w.Outdent();
        if (pairs.Count == 0)
        {
            return;
        }

        w.Line("{");
        w.Indent();
        w.Line("RetrievalPairs =");
        w.Line("[");
        w.Indent();
        foreach (var (query, target) in pairs)
        {
            w.Line($"new {Models}RetrievalPair({CSharpLiterals.String(query)}, {CSharpLiterals.String(target)}),");
        }

        w.Outdent();
        w.Line("],");
        w.Outdent();
        w.Line("};");
    }

    /// <summary>
    /// The (a, b) of every loss whose <c>between</c> names two embedding heads of one width
    /// (a cca between unequal widths has no shared space to rank in), in the order of the
    /// losses, each pair once whichever way round it is written again.
    /// </summary>
    private static List<(string Query, string Target)> RetrievalPairs(FusionSpec spec)
    {
        var pairs = new List<(string Query, string Target)>();
        foreach (var loss in spec.Losses)
        {
            if (loss.Between.Count != 2)
            {
                continue;
            }

            var a = EmbeddingHead(spec, loss.Between[0]);
            var b = EmbeddingHead(spec, loss.Between[1]);
            if (a is null || b is null || a.Name == b.Name || a.Size != b.Size)
            {
                continue;
            }

            if (!pairs.Contains((a.Name, b.Name)) && !pairs.Contains((b.Name, a.Name)))
            {
                pairs.Add((a.Name, b.Name));
            }
        }

        return pairs;
    }

    private static HeadSpec? EmbeddingHead(FusionSpec spec, ValueReference reference) =>
        reference.ProducerKind == ProducerKind.Head && reference.Member is null && spec.FindHead(reference.Producer) is { Type: HeadType.Embedding } head
            ? head
            : null;

    private static void List(CodeWriter w, string name, IEnumerable<string> items)
    {
        var all = items.ToList();
        if (all.Count == 0)
        {
            w.Line($"{name}: [],");
            return;
        }

        w.Line($"{name}:");
        w.Line("[");
        w.Indent();
        foreach (var item in all)
        {
            w.Line(item + ",");
        }

        w.Outdent();
        w.Line("],");
    }

    private static string TargetKind(HeadType type) => type switch
    {
        HeadType.Classifier => "Classification",
        HeadType.Regressor => "Regression",
        HeadType.Multilabel => "Multilabel",
        _ => throw new InvalidOperationException("an embedding head has no target"),
    };

    private static string Training(TrainingSpec t)
    {
        var o = t.Optimizer;
        var s = t.Schedule;
        string optimizer = $"new {Models}OptimizerSettings({Models}OptimizerKind.{o.Type}, {CSharpLiterals.Double(o.Lr)}, {CSharpLiterals.Double(o.WeightDecay)}, " +
            $"{CSharpLiterals.Double(o.Beta1)}, {CSharpLiterals.Double(o.Beta2)}, {CSharpLiterals.Double(o.Momentum)}, {CSharpLiterals.Bool(o.Nesterov)})";
        string groups = "[" + string.Join(", ", t.LrGroups.Select(g => $"new {Models}LearningRateSetting({CSharpLiterals.String(g.Group)}, {CSharpLiterals.Double(g.Lr)})")) + "]";
        string schedule = $"new {Models}ScheduleSettings({Models}ScheduleKind.{s.Type}, {CSharpLiterals.NullableInt(s.StepSize)}, {CSharpLiterals.NullableDouble(s.Gamma)}, " +
            $"{CSharpLiterals.NullableInt(s.TMax)}, {CSharpLiterals.NullableInt(s.Steps)}, {CSharpLiterals.NullableInt(s.Patience)}, {CSharpLiterals.NullableDouble(s.Factor)})";
        string early = t.EarlyStopping is { } e ? $"new {Models}EarlyStoppingSettings({e.Patience}, {CSharpLiterals.String(e.Metric)})" : "null";
        var arguments = new[] { optimizer, groups, schedule, Invariant(t.Epochs), Invariant(t.BatchSize), Invariant(t.Seed), early, CSharpLiterals.NullableDouble(t.ClipGradNorm) };
        return $"new {Models}TrainingSettings(\n" + string.Join(",\n", arguments.Select(a => "    " + a)) + ")";
    }

    private static string Invariant(int value) => CSharpLiterals.Int(value);

    private static string Doubles(IEnumerable<double> values) => "[" + string.Join(", ", values.Select(CSharpLiterals.Double)) + "]";

    private static string DataSettings(DataSpec data) => data switch
    {
        DataSpec.Synthetic s => $"new {Models}SyntheticDataSettings({s.Samples}, {s.Latent}, {CSharpLiterals.Double(s.Noise)}, {s.Seed}, {Doubles(s.Split)})",
        DataSpec.Npz n => $"new {Models}NpzDataSettings({CSharpLiterals.String(n.Path)}, {Doubles(n.Split)})",
        DataSpec.Npy n => $"new {Models}NpyDataSettings({CSharpLiterals.String(n.Path)})",
        DataSpec.Csv c => $"new {Models}CsvDataSettings({CSharpLiterals.String(c.Path)}, [" +
            string.Join(", ", c.Columns.Select(k => $"new {Models}CsvColumnSetting({CSharpLiterals.String(k.Name)}, {CSharpLiterals.String(k.From)}, {CSharpLiterals.NullableString(k.To)})")) + "])",
        _ => throw new InvalidOperationException($"unknown data source {data.GetType().Name}"),
    };
}
