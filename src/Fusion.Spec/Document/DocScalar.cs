using System.Globalization;
using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Document;

/// <summary>
/// A scalar as written. <see cref="IsQuoted"/> scalars are always strings; plain scalars are
/// typed by <see cref="TryGetInt"/>, <see cref="TryGetDouble"/>, <see cref="TryGetBool"/> and
/// <see cref="IsNull"/> (YAML 1.2 core schema).
/// </summary>
public sealed class DocScalar : DocNode
{
    public DocScalar(string text, bool isQuoted, SourceLocation location)
        : base(location)
    {
        Text = text;
        IsQuoted = isQuoted;
    }

    public string Text { get; }

    public bool IsQuoted { get; }

    public bool IsNull => !IsQuoted && (Text.Length == 0 || Text == "~" || Text == "null" || Text == "Null" || Text == "NULL");

    public bool TryGetInt(out long value)
    {
        value = 0;
        if (IsQuoted)
        {
            return false;
        }

        return long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public bool TryGetDouble(out double value)
    {
        value = 0;
        if (IsQuoted || Text.Length == 0)
        {
            return false;
        }

        switch (Text)
        {
            case ".inf" or "+.inf" or ".Inf" or "+.Inf":
                value = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf":
                value = double.NegativeInfinity;
                return true;
            case ".nan" or ".NaN":
                value = double.NaN;
                return true;
        }

        char first = Text[0];
        if (!(char.IsDigit(first) || first is '-' or '+' or '.'))
        {
            return false;
        }

        return double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public bool TryGetBool(out bool value)
    {
        value = false;
        if (IsQuoted)
        {
            return false;
        }

        switch (Text)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                return true;
            default:
                return false;
        }
    }

    public override string Describe()
    {
        if (IsNull)
        {
            return "an empty value";
        }

        if (TryGetInt(out _))
        {
            return $"the integer {Text}";
        }

        if (TryGetDouble(out _))
        {
            return $"the number {Text}";
        }

        if (TryGetBool(out _))
        {
            return $"the boolean {Text}";
        }

        return $"the string '{Text}'";
    }
}
