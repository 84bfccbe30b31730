using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>Reads an op's attributes from a node's map, by the op's <see cref="AttributeSchema"/>.</summary>
internal static class AttributeReader
{
    public static AttributeSet Read(BindContext context, MapReader map, IReadOnlyList<AttributeSchema> schema, SourceLocation nodeLocation)
    {
        var set = new AttributeSet(nodeLocation);
        foreach (var attribute in schema)
        {
            var node = map.Get(attribute.Name);
            if (node is null)
            {
                if (attribute.IsRequired)
                {
                    map.Require(attribute.Name);
                }

                set.Add(attribute.Name, attribute.Default, isExplicit: false, location: null, computed: attribute.Computed);
                continue;
            }

            set.Add(attribute.Name, ReadValue(context, node, attribute), isExplicit: true, node.Location);
        }

        return set;
    }

    private static AttributeValue? ReadValue(BindContext context, DocNode node, AttributeSchema attribute)
    {
        string key = attribute.Name;
        switch (attribute.Kind)
        {
            case AttributeKind.Int:
            {
                var value = ValueReader.Int(context, node, key, attribute.Range);
                if (value is > int.MaxValue)
                {
                    context.Report(DiagnosticDescriptors.NotInRange(node.Location, key, ((DocScalar)node).Text, "at most 2147483647"));
                    return null;
                }

                return value is null ? null : new AttributeValue.Int(value.Value);
            }

            case AttributeKind.Float:
            {
                var value = ValueReader.Number(context, node, key, attribute.Range);
                return value is null ? null : new AttributeValue.Float(value.Value);
            }

            case AttributeKind.Bool:
            {
                var value = ValueReader.Bool(context, node, key);
                return value is null ? null : new AttributeValue.Bool(value.Value);
            }

            case AttributeKind.Enum:
            {
                var value = ValueReader.Enum(context, node, key, $"value of '{key}'", attribute.Values!);
                return value is null ? null : new AttributeValue.Text(value);
            }

            case AttributeKind.IntList:
            {
                var value = ValueReader.IntList(context, node, key, attribute.Range);
                return value is null ? null : new AttributeValue.IntList(value.ToEquatableArray());
            }

            case AttributeKind.TextList:
            {
                var value = ValueReader.TextList(context, node, key);
                return value is null ? null : new AttributeValue.TextList(value.Select(v => v.Text).ToEquatableArray());
            }

            case AttributeKind.PairList:
                return ReadPairs(context, node, key);

            default:
                throw new InvalidOperationException($"unhandled attribute kind {attribute.Kind}");
        }
    }

    private static AttributeValue? ReadPairs(BindContext context, DocNode node, string key)
    {
        var list = ValueReader.List(context, node, key, "a list of pairs [a, b]");
        if (list is null)
        {
            return null;
        }

        var pairs = new List<NamePair>();
        bool ok = true;
        foreach (var item in list.Items)
        {
            var names = item is DocList { Items.Count: 2 } ? ValueReader.TextList(context, item, key) : null;
            if (item is not DocList { Items.Count: 2 })
            {
                context.Report(DiagnosticDescriptors.WrongTypeOf(item.Location, key, "a list of pairs [a, b]", item.Describe()));
            }

            if (names is null)
            {
                ok = false;
                continue;
            }

            pairs.Add(new NamePair(names[0].Text, names[1].Text));
        }

        return ok ? new AttributeValue.PairList(pairs.ToEquatableArray()) : null;
    }
}
