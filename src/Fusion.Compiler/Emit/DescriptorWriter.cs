using Fusion.Spec.Ir;

namespace Fusion.Compiler.Emit;

/// <summary>
/// Writes the body of the generated <c>BuildDescriptor()</c>: the runtime's <c>ModelDescriptor</c>
/// (modalities and targets as data descriptors, heads with their kinds, parameter groups, and
/// the training and data settings of the spec as plain runtime records).
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
        w.Line($"Data: {DataSettings(spec.Data)});");
        w.Outdent();
    }

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
