using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>Reads the <c>losses</c> list and checks what each loss is attached to.</summary>
internal sealed class LossBinder
{
    private static readonly Dictionary<string, LossType> Types = new(StringComparer.Ordinal)
    {
        ["cross_entropy"] = LossType.CrossEntropy,
        ["bce"] = LossType.Bce,
        ["mse"] = LossType.Mse,
        ["l1"] = LossType.L1,
        ["contrastive"] = LossType.Contrastive,
        ["cca"] = LossType.Cca,
        ["cmd"] = LossType.Cmd,
        ["sinkhorn"] = LossType.Sinkhorn,
        ["reconstruction"] = LossType.Reconstruction,
        ["difference"] = LossType.Difference,
        ["adversarial"] = LossType.Adversarial,
        ["dtw"] = LossType.Dtw,
    };

    private readonly BindContext context;
    private readonly ReferenceResolver resolver;
    private readonly Dictionary<string, HeadSpec> heads;
    private readonly IReadOnlyDictionary<string, DeclaredHead> declaredHeads;
    private readonly IReadOnlyCollection<string> headNames;
    private readonly Dictionary<string, int> typeCounts = new(StringComparer.Ordinal);

    private LossBinder(BindContext context, ReferenceResolver resolver, IEnumerable<HeadSpec> heads, IReadOnlyDictionary<string, DeclaredHead> declaredHeads)
    {
        this.context = context;
        this.resolver = resolver;
        this.heads = heads.ToDictionary(h => h.Name, StringComparer.Ordinal);
        this.declaredHeads = declaredHeads;
        headNames = declaredHeads.Keys.ToList();
    }

    public static List<LossSpec> Bind(BindContext context, DocList list, ReferenceResolver resolver, IEnumerable<HeadSpec> heads, IReadOnlyDictionary<string, DeclaredHead> declaredHeads)
    {
        var binder = new LossBinder(context, resolver, heads, declaredHeads);
        var losses = new List<LossSpec>();
        foreach (var item in list.Items)
        {
            var loss = binder.BindOne(item);
            if (loss is not null)
            {
                losses.Add(loss);
            }
        }

        return losses;
    }

    /// <summary><c>top_k</c> of a cca loss cannot exceed the narrower side's width (FUS009).</summary>
    private bool CheckTopK(AttributeSet attributes, List<ValueReference> between)
    {
        if (!attributes.Has("top_k"))
        {
            return true;
        }

        int topK = attributes.Int("top_k");
        int dims = Math.Min(between[0].Shape.Width, between[1].Shape.Width);
        if (topK <= dims)
        {
            return true;
        }

        context.Report(DiagnosticDescriptors.NotInRange(attributes.LocationOf("top_k"), "top_k", topK.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most {dims}, the narrower width of the two sides"));
        return false;
    }

    private static string Name(LossType type) => Types.First(t => t.Value == type).Key;

    private static string Attachment(LossType type) => type switch
    {
        LossType.CrossEntropy or LossType.Bce or LossType.Mse or LossType.L1 => "head",
        LossType.Contrastive or LossType.Cca or LossType.Sinkhorn or LossType.Dtw => "between",
        LossType.Cmd => "between|node",
        _ => "node",
    };

    private static IReadOnlyList<AttributeSchema> Options(LossType type) => type switch
    {
        LossType.CrossEntropy => [AttributeSchema.Float("label_smoothing", 0, ValueRange.Probability)],
        LossType.Bce => [new AttributeSchema("pos_weight", AttributeKind.Float, null, ValueRange.Positive, Computed: true)],
        LossType.Contrastive =>
        [
            AttributeSchema.Enum("scale", "fixed", "fixed", "learnable"),
            AttributeSchema.Float("temperature", 0.07, ValueRange.Positive),
            AttributeSchema.Float("max_scale", 100, ValueRange.Positive),
        ],
        LossType.Cca =>
        [
            AttributeSchema.Float("r", 1e-3, ValueRange.Positive),
            AttributeSchema.ComputedInt("top_k"),
        ],
        LossType.Cmd => [AttributeSchema.Int("moments", 5)],
        LossType.Sinkhorn => [AttributeSchema.Float("epsilon", 0.1, ValueRange.Positive), AttributeSchema.Int("iterations", 50)],
        LossType.Dtw =>
        [
            AttributeSchema.Float("gamma", 0.1, ValueRange.NonNegative),
            AttributeSchema.Enum("cost", "squared_euclidean", "squared_euclidean", "euclidean", "cosine"),
        ],
        _ => [],
    };

    private LossSpec? BindOne(DocNode item)
    {
        var mapNode = ValueReader.Map(context, item, "losses", "a map such as { type: mse, head: score }");
        if (mapNode is null)
        {
            return null;
        }

        var typeNode = mapNode.Find("type")?.Value;
        if (typeNode is null)
        {
            context.Report(DiagnosticDescriptors.Missing(item.Location, "type", "a loss"));
            return null;
        }

        var typeText = ValueReader.Enum(context, typeNode, "type", "loss type", Types.Keys.ToList());
        if (typeText is null)
        {
            return null;
        }

        var type = Types[typeText];
        var options = Options(type);
        var known = new List<string> { "type", "name", "weight" };
        known.AddRange(Attachment(type).Split('|'));
        known.AddRange(options.Select(o => o.Name));

        int count = typeCounts.TryGetValue(typeText, out var c) ? c + 1 : 1;
        typeCounts[typeText] = count;
        var map = new MapReader(context, mapNode, $"loss '{typeText}'", known, item.Location);
        var name = map.Text("name", count == 1 ? typeText : $"{typeText}_{count}");
        var weight = map.Number("weight", 1, ValueRange.NonNegative);
        var attributes = AttributeReader.Read(context, map, options, item.Location);
        if (name is null || weight is null || !context.Names.Declare(name, "loss", map.LocationOf("name")))
        {
            return null;
        }

        string where = $"loss '{name}'";
        string? head = null;
        string? node = null;
        var between = new List<ValueReference>();
        bool ok = attributes.IsComplete;
        switch (Attachment(type))
        {
            case "head":
                head = CheckHead(map, type, where);
                ok &= head is not null;
                break;
            case "between":
                ok &= ReadBetween(map, type, where, between);
                ok = ok && CheckTopK(attributes, between);
                break;
            case "between|node":
                if (map.Has("node") && map.Has("between"))
                {
                    context.Report(DiagnosticDescriptors.PreconditionFailed(map.LocationOf("node"), $"{where} takes either 'between' or 'node', not both"));
                    ok = false;
                }
                else if (map.Has("node"))
                {
                    node = CheckNode(map, type, where, "misa");
                    ok &= node is not null;
                }
                else
                {
                    ok &= ReadBetween(map, type, where, between);
                }

                break;
            default:
                string[] ops = type switch
                {
                    LossType.Reconstruction => ["autofusion", "misa"],
                    LossType.Difference => ["misa"],
                    _ => ["ganfusion"],
                };
                node = CheckNode(map, type, where, ops);
                ok &= node is not null;
                break;
        }

        return ok
            ? new LossSpec(type, name, weight.Value, head, between.ToEquatableArray(), node, attributes.ToResolved(), item.Location)
            : null;
    }

    private string? CheckHead(MapReader map, LossType type, string where)
    {
        var text = map.Text("head", null, required: true);
        if (text is null)
        {
            return null;
        }

        var at = map.LocationOf("head");
        if (!heads.TryGetValue(text, out var head))
        {
            if (declaredHeads.TryGetValue(text, out var declared))
            {
                // A declared head that failed has its own error; its kind may still be known.
                if (declared.Type is { } declaredType)
                {
                    CheckHeadKind(type, where, text, at, declaredType, declared.Size);
                }
            }
            else
            {
                bool isValue = resolver.FindModality(text) is not null || resolver.IsBrokenModality(text) || resolver.FindNode(text) is not null;
                context.Report(isValue
                    ? DiagnosticDescriptors.LossOnWrongKind(at, where, $"'{text}'", resolver.FindNode(text) is null ? "a modality" : "a node", HeadNeed(type))
                    : DiagnosticDescriptors.UndeclaredName(at, text, "a declared head", Suggestions.Closest(text, headNames), headNames));
            }

            return null;
        }

        return CheckHeadKind(type, where, text, at, head.Type, head.Size) ? text : null;
    }

    /// <summary>Whether a loss of <paramref name="type"/> fits a head of that kind; reports FUS011 when not (an unknown size passes).</summary>
    private bool CheckHeadKind(LossType type, string where, string text, SourceLocation at, HeadType headType, int? size)
    {
        bool fits = type switch
        {
            LossType.CrossEntropy => headType == HeadType.Classifier,
            LossType.Bce => headType == HeadType.Multilabel || (headType == HeadType.Classifier && size is null or 2),
            _ => headType == HeadType.Regressor,
        };

        if (!fits)
        {
            string kind = headType == HeadType.Classifier ? $"a classifier with {size} classes" : $"a {headType.ToString().ToLowerInvariant()} head";
            context.Report(DiagnosticDescriptors.LossOnWrongKind(at, where, $"head '{text}'", kind, HeadNeed(type)));
        }

        return fits;
    }

    private static string HeadNeed(LossType type) => type switch
    {
        LossType.CrossEntropy => "a classifier head",
        LossType.Bce => "a multilabel head or a classifier with classes: 2",
        _ => "a regressor head",
    };

    private string? CheckNode(MapReader map, LossType type, string where, params string[] ops)
    {
        var text = map.Text("node", null, required: true);
        if (text is null)
        {
            return null;
        }

        var at = map.LocationOf("node");
        var node = resolver.FindNode(text);
        string need = string.Join(" or ", ops.Select(o => $"a {o} node"));
        if (node is null)
        {
            context.Report(resolver.FindModality(text) is not null || heads.ContainsKey(text)
                ? DiagnosticDescriptors.LossOnWrongKind(at, where, $"'{text}'", resolver.FindModality(text) is not null ? "a modality" : "a head", need)
                : DiagnosticDescriptors.Undeclared(at, text, where, Suggestions.Closest(text, resolver.ValueNames)));
            return null;
        }

        if (node.Op is null)
        {
            return null;
        }

        if (!ops.Contains(node.Op.Name))
        {
            context.Report(DiagnosticDescriptors.LossOnWrongKind(at, where, $"node '{text}'", $"a {node.Op.Name} node", need));
            return null;
        }

        return text;
    }

    private bool ReadBetween(MapReader map, LossType type, string where, List<ValueReference> result)
    {
        var node = map.Require("between");
        if (node is null)
        {
            return false;
        }

        var items = ValueReader.TextList(context, node, "between");
        if (items is null)
        {
            return false;
        }

        if (items.Count != 2)
        {
            context.Report(DiagnosticDescriptors.PreconditionFailed(node.Location, $"'between' of {where} lists {items.Count} values; it takes exactly two [a, b]"));
            return false;
        }

        bool ok = true;
        foreach (var (text, itemNode) in items)
        {
            var value = ResolveBetween(type, text, itemNode.Location, where);
            ok &= value is not null;
            if (value is not null)
            {
                result.Add(value);
            }
        }

        return ok && CheckPair(type, where, result[0], result[1]);
    }

    private ValueReference? ResolveBetween(LossType type, string text, SourceLocation at, string where)
    {
        if (heads.TryGetValue(text, out var head))
        {
            if (head.Type != HeadType.Embedding)
            {
                context.Report(DiagnosticDescriptors.LossOnWrongKind(at, where, $"head '{text}'", $"a {head.Type.ToString().ToLowerInvariant()} head", "embedding heads or nodes"));
                return null;
            }

            return new ValueReference(text, null, ProducerKind.Head, head.OutputShape, ModalityKind.Vector, at);
        }

        if (headNames.Contains(text))
        {
            return null; // a declared head that failed has its own error
        }

        var reference = ReferenceDraft.Parse(text, at);
        if (!resolver.Check(reference, where, headNames))
        {
            return null;
        }

        // dtw may align a node's steps with a sequence modality as given (CheckPair: not both sides).
        if (resolver.FindModality(reference.Producer) is not null && type != LossType.Dtw)
        {
            context.Report(DiagnosticDescriptors.LossOnWrongKind(at, where, $"'{text}'", "a modality", "embedding heads or nodes"));
            return null;
        }

        return resolver.ToIr(reference);
    }

    private bool CheckPair(LossType type, string where, ValueReference a, ValueReference b)
    {
        if (type == LossType.Dtw)
        {
            return CheckSequencePair(where, a, b);
        }

        bool sequencesAllowed = type == LossType.Sinkhorn;
        bool ok = true;
        foreach (var v in new[] { a, b })
        {
            if (v.Kind != ModalityKind.Vector && !(sequencesAllowed && v.Kind == ModalityKind.Sequence))
            {
                context.Report(DiagnosticDescriptors.ShapeExpectation(v.Location, $"'{v.Text}'", v.Shape, where, sequencesAllowed ? "a vector [d] or a sequence [N, d]" : "a vector [d]"));
                ok = false;
            }
        }

        if (ok && type != LossType.Cca && a.Shape.Width != b.Shape.Width)
        {
            context.Report(DiagnosticDescriptors.ShapeExpectation(b.Location, $"'{b.Text}'", b.Shape, where, $"width {a.Shape.Width}, the width of '{a.Text}' (both sides of a {Name(type)} loss share one space)"));
            ok = false;
        }

        return ok;
    }

    /// <summary>
    /// A dtw loss aligns two sequences [N, d] and [M, d] of one width (FUS007); at most one side
    /// is a modality, since a loss between two inputs has nothing to train (FUS011).
    /// </summary>
    private bool CheckSequencePair(string where, ValueReference a, ValueReference b)
    {
        bool ok = true;
        foreach (var v in new[] { a, b })
        {
            if (v.Kind != ModalityKind.Sequence)
            {
                context.Report(DiagnosticDescriptors.ShapeExpectation(v.Location, $"'{v.Text}'", v.Shape, where, "a sequence [N, d]"));
                ok = false;
            }
        }

        if (a.ProducerKind == ProducerKind.Modality && b.ProducerKind == ProducerKind.Modality)
        {
            context.Report(DiagnosticDescriptors.LossOnWrongKind(b.Location, where, $"'{b.Text}'", "a modality, as is the other side", "a node on at least one side"));
            ok = false;
        }

        if (ok && a.Shape.Width != b.Shape.Width)
        {
            context.Report(DiagnosticDescriptors.ShapeExpectation(b.Location, $"'{b.Text}'", b.Shape, where, $"width {a.Shape.Width}, the width of '{a.Text}' (both sides of a dtw loss share one space)"));
            ok = false;
        }

        return ok;
    }
}
