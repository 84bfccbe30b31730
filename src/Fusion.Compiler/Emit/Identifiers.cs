using System.Text;
using Fusion.Spec.Validation;

namespace Fusion.Compiler.Emit;

/// <summary>
/// Generated identifiers (docs/codegen.md): PascalCase of the snake_case name for properties
/// (<c>text_h</c> -> <c>TextH</c>), the name itself for fields and locals, prefixed with <c>@</c>
/// when it is a C# keyword.
/// </summary>
internal static class Identifiers
{
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
    public static string Escape(string name) => CSharpKeywords.IsKeyword(name) ? "@" + name : name;
}
