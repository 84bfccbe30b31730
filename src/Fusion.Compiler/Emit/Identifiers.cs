using System.Text;

namespace Fusion.Compiler.Emit;

/// <summary>
/// Generated identifiers (docs/codegen.md): PascalCase of the snake_case name for properties
/// (<c>text_h</c> -> <c>TextH</c>), the name itself for fields and locals, prefixed with <c>@</c>
/// when it is a C# keyword.
/// </summary>
internal static class Identifiers
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary><c>text_h</c> -> <c>TextH</c>; <c>cb.text_p</c> -> <c>CbTextP</c>.</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder(name.Length);
        bool upper = true;
        foreach (char c in name)
        {
            if (c == '_' || c == '.')
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (sb.Length == 0 || char.IsDigit(sb[0]))
        {
            sb.Insert(0, 'V');
        }

        return sb.ToString();
    }

    /// <summary>The name as a field or local: itself, or <c>@name</c> for a keyword.</summary>
    public static string Escape(string name) => Keywords.Contains(name) ? "@" + name : name;
}
