using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>Reads typed values from document nodes; reports FUS006 (wrong type) and FUS009 (out of range).</summary>
internal static class ValueReader
{
    public static long? Int(BindContext context, DocNode node, string key, ValueRange range)
    {
        if (node is not DocScalar scalar || !scalar.TryGetInt(out long value))
        {
            context.Report(DiagnosticDescriptors.WrongTypeOf(node.Location, key, "an integer", node.Describe()));
            return null;
        }

        return CheckRange(context, node, key, value, range) ? value : null;
    }

    public static double? Number(BindContext context, DocNode node, string key, ValueRange range)
    {
        if (node is not DocScalar scalar || !scalar.TryGetDouble(out double value))
        {
            context.Report(DiagnosticDescriptors.WrongTypeOf(node.Location, key, "a number", node.Describe()));
            return null;
        }

        return CheckRange(context, node, key, value, range) ? value : null;
    }

    public static bool? Bool(BindContext context, DocNode node, string key)
    {
        if (node is not DocScalar scalar || !scalar.TryGetBool(out bool value))
        {
            context.Report(DiagnosticDescriptors.WrongTypeOf(node.Location, key, "true or false", node.Describe()));
            return null;
        }

        return value;
    }

    public static string? Text(BindContext context, DocNode node, string key)
    {
        if (node is not DocScalar scalar || scalar.IsNull)
        {
            context.Report(DiagnosticDescriptors.WrongTypeOf(node.Location, key, "a name or string", node.Describe()));
            return null;
        }

        return scalar.Text;
    }

    /// <summary>One of <paramref name="values"/>; FUS002 with a suggestion otherwise.</summary>
    public static string? Enum(BindContext context, DocNode node, string key, string what, IReadOnlyCollection<string> values)
    {
        var text = Text(context, node, key);
        if (text is null)
        {
            return null;
        }

        if (values.Contains(text))
        {
            return text;
        }

        context.Report(DiagnosticDescriptors.UnknownValueOf(node.Location, what, text, Suggestions.Closest(text, values), values));
        return null;
    }

    public static DocList? List(BindContext context, DocNode node, string key, string expected = "a list")
    {
        if (node is DocList list)
        {
            return list;
        }

        context.Report(DiagnosticDescriptors.WrongTypeOf(node.Location, key, expected, node.Describe()));
        return null;
    }

    public static DocMap? Map(BindContext context, DocNode node, string key, string expected = "a map")
    {
        if (node is DocMap map)
        {
            return map;
        }

        context.Report(DiagnosticDescriptors.WrongTypeOf(node.Location, key, expected, node.Describe()));
        return null;
    }

    public static List<int>? IntList(BindContext context, DocNode node, string key, ValueRange range)
    {
        var list = List(context, node, key, "a list of integers");
        if (list is null)
        {
            return null;
        }

        var result = new List<int>();
        bool ok = true;
        foreach (var item in list.Items)
        {
            var value = Int(context, item, key, range);
            if (value is null)
            {
                ok = false;
            }
            else if (value.Value is > int.MaxValue or < int.MinValue)
            {
                context.Report(DiagnosticDescriptors.NotInRange(item.Location, key, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "at most 2147483647"));
                ok = false;
            }
            else
            {
                result.Add((int)value.Value);
            }
        }

        return ok ? result : null;
    }

    public static List<double>? NumberList(BindContext context, DocNode node, string key, ValueRange range)
    {
        var list = List(context, node, key, "a list of numbers");
        if (list is null)
        {
            return null;
        }

        var result = new List<double>();
        bool ok = true;
        foreach (var item in list.Items)
        {
            var value = Number(context, item, key, range);
            ok &= value is not null;
            result.Add(value ?? 0);
        }

        return ok ? result : null;
    }

    public static List<(string Text, DocNode Node)>? TextList(BindContext context, DocNode node, string key)
    {
        var list = List(context, node, key, "a list of names");
        if (list is null)
        {
            return null;
        }

        var result = new List<(string, DocNode)>();
        bool ok = true;
        foreach (var item in list.Items)
        {
            var text = Text(context, item, key);
            ok &= text is not null;
            if (text is not null)
            {
                result.Add((text, item));
            }
        }

        return ok ? result : null;
    }

    private static bool CheckRange(BindContext context, DocNode node, string key, double value, ValueRange range)
    {
        if (range.Contains(value))
        {
            return true;
        }

        string text = ((DocScalar)node).Text;
        context.Report(range == ValueRange.Positive
            ? DiagnosticDescriptors.NotPositive(node.Location, key, text)
            : DiagnosticDescriptors.NotInRange(node.Location, key, text, range.Describe()));
        return false;
    }
}
