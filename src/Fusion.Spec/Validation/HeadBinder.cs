using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>Reads the <c>heads</c> section.</summary>
internal static class HeadBinder
{
    private static readonly string[] Types = ["classifier", "regressor", "multilabel", "embedding"];
    private static readonly string[] CommonKeys = ["type", "input", "hidden", "dropout", "target"];

    /// <summary>
    /// Binds every head. <paramref name="declared"/> receives each declared head's type and size as far
    /// as they could be read, also for a head that failed for another reason (a broken input), so that
    /// a loss on the wrong kind of head is still reported.
    /// </summary>
    public static List<HeadSpec> Bind(BindContext context, DocMap section, ReferenceResolver resolver, Dictionary<string, DeclaredHead> declared)
    {
        var heads = new List<HeadSpec>();
        foreach (var entry in section.Entries)
        {
            string name = entry.Key.Text;
            bool named = context.Names.Declare(name, "head", entry.Key.Location);
            var head = BindOne(context, name, entry, resolver, declared);
            if (named && head is not null)
            {
                heads.Add(head);
            }
        }

        return heads;
    }

    private static HeadSpec? BindOne(BindContext context, string name, DocEntry entry, ReferenceResolver resolver, Dictionary<string, DeclaredHead> declared)
    {
        var mapNode = ValueReader.Map(context, entry.Value, name, "a map such as { type: classifier, input: fused, classes: 2 }");
        declared[name] = new DeclaredHead(null, null);
        if (mapNode is null)
        {
            return null;
        }

        var typeNode = mapNode.Find("type")?.Value;
        string? typeText = typeNode is null ? null : ValueReader.Enum(context, typeNode, "type", "head type", Types);
        if (typeNode is null)
        {
            context.Report(DiagnosticDescriptors.Missing(entry.Key.Location, "type", $"head '{name}'"));
        }

        var type = typeText switch
        {
            "classifier" => HeadType.Classifier,
            "regressor" => HeadType.Regressor,
            "multilabel" => HeadType.Multilabel,
            "embedding" => HeadType.Embedding,
            _ => (HeadType?)null,
        };

        string? sizeKey = type switch
        {
            HeadType.Classifier => "classes",
            HeadType.Regressor => "outputs",
            HeadType.Multilabel => "labels",
            HeadType.Embedding => "dim",
            _ => null,
        };

        var known = sizeKey is null ? CommonKeys.Concat(["classes", "outputs", "labels", "dim"]).ToList() : CommonKeys.Append(sizeKey).ToList();
        var map = new MapReader(context, mapNode, $"head '{name}'" + (typeText is null ? "" : $" ({typeText})"), known, entry.Key.Location);
        var inputText = map.Text("input", null, required: true);
        var hiddenNode = map.Get("hidden");
        var hidden = hiddenNode is null ? [] : ValueReader.IntList(context, hiddenNode, "hidden", ValueRange.Positive);
        var dropout = map.Number("dropout", 0, ValueRange.Probability);
        var target = map.Text("target", null);
        var input = inputText is null ? null : ResolveInput(context, name, ReferenceDraft.Parse(inputText, map.LocationOf("input")), resolver);
        if (type is null || sizeKey is null)
        {
            return null;
        }

        var size = type == HeadType.Regressor ? map.Int(sizeKey, 1) : map.Int(sizeKey, null, required: true);
        declared[name] = new DeclaredHead(type.Value, size);
        if (type == HeadType.Classifier && size is < 2)
        {
            context.Report(DiagnosticDescriptors.NotInRange(map.LocationOf("classes"), "classes", size.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "at least 2"));
            size = null;
        }

        if (type == HeadType.Embedding && target is not null)
        {
            context.Report(DiagnosticDescriptors.PreconditionFailed(map.LocationOf("target"), $"embedding head '{name}' has no target (it feeds contrastive or alignment losses); remove 'target'"));
            return null;
        }

        if (target is not null && !NameTable.IsIdentifier(target))
        {
            context.Report(DiagnosticDescriptors.InvalidName(map.LocationOf("target"), target, "target"));
            return null;
        }

        if (input is null || hidden is null || dropout is null || size is null || (map.Has("target") && target is null))
        {
            return null;
        }

        var outputShape = Shape.Of(size.Value);
        Shape? targetShape = type switch
        {
            HeadType.Classifier => Shape.Scalar,
            HeadType.Embedding => null,
            _ => outputShape,
        };

        return new HeadSpec(
            name,
            type.Value,
            input,
            size.Value,
            hidden.ToEquatableArray(),
            dropout.Value,
            type == HeadType.Embedding ? null : target ?? name,
            outputShape,
            targetShape,
            entry.Key.Location);
    }

    /// <summary>The head's input, checked to be a vector; null after reporting (or when its producer is broken).</summary>
    private static ValueReference? ResolveInput(BindContext context, string name, ReferenceDraft reference, ReferenceResolver resolver)
    {
        if (!resolver.Check(reference, $"head '{name}'"))
        {
            return null;
        }

        var input = resolver.ToIr(reference);
        if (input is null || input.Kind == ModalityKind.Vector)
        {
            return input;
        }

        context.Report(DiagnosticDescriptors.ShapeExpectation(
            input.Location, Subject(input), input.Shape, $"head '{name}'", "a vector [d]; pool or flatten it first"));
        return null;
    }

    private static string Subject(ValueReference input) =>
        input.ProducerKind == ProducerKind.Modality ? $"modality '{input.Text}'" : $"node '{input.Text}'";
}
