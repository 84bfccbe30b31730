using System.Text.RegularExpressions;
using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Validation;

/// <summary>
/// Checks an untyped spec document and builds the IR. Front-end neutral: the YAML reader and any
/// other front end (C# attributes) build a <see cref="DocNode"/> and come through here, so every
/// spec gets the same checks and diagnostics. Reports every problem it can find, skipping only
/// what depends on something already broken.
/// </summary>
public static class SpecBinder
{
    private static readonly string[] TopKeys = ["model", "namespace", "modalities", "encoders", "context", "fusion", "heads", "losses", "training", "data"];
    private static readonly Regex DottedIdentifier = new(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant);

    /// <summary>Checks <paramref name="root"/> (null for an empty document) read from <paramref name="sourcePath"/>.</summary>
    public static SpecResult Bind(DocNode? root, string sourcePath, string sourceHash) =>
        Bind(root, sourcePath, sourceHash, new DiagnosticBag());

    internal static SpecResult Bind(DocNode? root, string sourcePath, string sourceHash, DiagnosticBag diagnostics)
    {
        var context = new BindContext(sourcePath, diagnostics);
        var spec = BindSpec(context, root, sourceHash);
        return new SpecResult(diagnostics.HasErrors ? null : spec, diagnostics.ToImmutableSorted());
    }

    private static FusionSpec? BindSpec(BindContext context, DocNode? root, string sourceHash)
    {
        var start = new SourceLocation(context.Path, 1, 1);
        if (root is null || (root is DocScalar s && s.IsNull))
        {
            context.Report(DiagnosticDescriptors.Missing(start, "model", "the spec (it is empty; a spec needs model, modalities, heads and losses)"));
            return null;
        }

        if (root is not DocMap rootMap)
        {
            context.Report(DiagnosticDescriptors.WrongTypeOf(root.Location, "the spec", "a map of top-level keys (model, modalities, ...)", root.Describe()));
            return null;
        }

        var map = new MapReader(context, rootMap, "the spec", TopKeys, start);
        var model = map.Text("model", null, required: true);
        if (model is not null && (!NameTable.IsIdentifier(model) || CSharpKeywords.IsKeyword(model)))
        {
            context.Report(DiagnosticDescriptors.InvalidName(map.LocationOf("model"), model, "model (C# class)"));
        }

        var ns = map.Text("namespace", FusionSpec.DefaultNamespace);
        if (ns is not null && (!DottedIdentifier.IsMatch(ns) || ns.Split('.').Any(CSharpKeywords.IsKeyword)))
        {
            context.Report(DiagnosticDescriptors.InvalidName(map.LocationOf("namespace"), ns, "namespace (dotted C# identifiers)"));
        }

        var brokenModalities = new HashSet<string>(StringComparer.Ordinal);
        var modalities = Section(context, map, "modalities", required: true) is { } modalityMap
            ? ModalityBinder.Bind(context, modalityMap, brokenModalities)
            : [];

        var drafts = new List<NodeDraft>();
        if (Section(context, map, "encoders", required: false) is { } encoders)
        {
            NodeBinder.Bind(context, encoders, NodeSection.Encoders, drafts);
        }

        if (Section(context, map, "fusion", required: false) is { } fusion)
        {
            NodeBinder.Bind(context, fusion, NodeSection.Fusion, drafts);
        }

        var resolver = new ReferenceResolver(context, modalities, brokenModalities, drafts);
        foreach (var draft in drafts)
        {
            foreach (var input in draft.Inputs)
            {
                draft.Broken |= !resolver.Check(input, $"node '{draft.Name}'");
            }
        }

        var ordered = GraphOrder.Sort(context, drafts);
        var contextEntry = SectionEntry(rootMap, "context");
        var contextBinder = contextEntry is null ? null : ContextBinder.Read(context, contextEntry, modalities);
        ShapeInference.Run(context, ordered, resolver, contextBinder?.Draft);
        var contextSpec = contextBinder?.Finish(context, drafts.Any(d => d.Op?.Name == "cbmf"));

        var headMap = Section(context, map, "heads", required: true);
        var declaredHeads = new Dictionary<string, DeclaredHead>(StringComparer.Ordinal);
        var heads = headMap is null ? [] : HeadBinder.Bind(context, headMap, resolver, declaredHeads);
        TargetChecks.Check(context, heads, modalities);

        var losses = new List<LossSpec>();
        var lossList = map.List("losses", required: true);
        if (lossList is not null)
        {
            if (lossList.Items.Count == 0)
            {
                context.Report(DiagnosticDescriptors.EmptySection(lossList.Location, "losses", "a model trains on at least one loss, e.g. { type: mse, head: score }"));
            }

            losses = LossBinder.Bind(context, lossList, resolver, heads, declaredHeads);
        }

        var groups = new HashSet<string>(StringComparer.Ordinal) { "encoders", "fusion", "heads" };
        if (contextEntry is not null)
        {
            groups.Add("context");
        }

        groups.UnionWith(drafts.Select(d => d.Group).Where(g => g.Length > 0));
        var training = SectionEntry(rootMap, "training") is { } trainingEntry
            ? TrainingBinder.Bind(context, trainingEntry, groups.OrderBy(g => g, StringComparer.Ordinal).ToList())
            : TrainingSpec.Default;

        var targets = heads.Where(h => h.Target is not null).Select(h => h.Target!).Distinct().ToList();
        var columnNames = modalities.Select(m => m.Name).Concat(targets).Distinct().ToList();
        var requiredColumns = modalities.Where(m => !m.Optional).Select(m => m.Name).Concat(targets).Distinct().ToList();
        DataSpec? data = SectionEntry(rootMap, "data") is { } dataEntry
            ? DataBinder.Bind(context, dataEntry, columnNames, requiredColumns)
            : DataSpec.Synthetic.Default;

        if (training is not null)
        {
            LossWarnings.Report(context, losses, training.BatchSize);
        }

        if (model is null || ns is null || training is null || data is null)
        {
            return null;
        }

        var nodes = ordered.Select(d => d.Spec).OfType<NodeSpec>().ToEquatableArray();
        return new FusionSpec(
            model,
            ns,
            context.Path,
            modalities.ToEquatableArray(),
            nodes,
            contextSpec,
            heads.ToEquatableArray(),
            losses.ToEquatableArray(),
            training,
            data,
            sourceHash,
            rootMap.Location);
    }

    /// <summary>A top-level entry whose empty value (<c>context:</c> with nothing after it) means "all defaults".</summary>
    private static DocEntry? SectionEntry(DocMap root, string key)
    {
        var entry = root.Find(key);
        return entry?.Value is DocScalar { IsNull: true } empty
            ? new DocEntry(entry.Key, new DocMap([], empty.Location))
            : entry;
    }

    private static DocMap? Section(BindContext context, MapReader map, string key, bool required)
    {
        var node = required ? map.Require(key) : map.Get(key);
        if (node is null || (node is DocScalar scalar && scalar.IsNull && !required))
        {
            return null;
        }

        var section = ValueReader.Map(context, node, key, $"a map of names to {key} entries");
        if (section is not null && required && section.Entries.Count == 0)
        {
            context.Report(DiagnosticDescriptors.EmptySection(section.Location, key, $"a spec needs at least one entry under '{key}'"));
        }

        return section;
    }
}
