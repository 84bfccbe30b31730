using System.Text.RegularExpressions;
using Fusion.Spec.Diagnostics;

namespace Fusion.Spec.Validation;

/// <summary>
/// The one namespace of modalities, nodes, heads and losses: names must be identifiers, unique,
/// and not <c>context</c> or <c>losses</c> (those prefixes belong to sections of the state dict).
/// </summary>
internal sealed class NameTable
{
    private static readonly Regex Identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
    private static readonly string[] Reserved = ["context", "losses"];

    private readonly Dictionary<string, SourceLocation> declared = new(StringComparer.Ordinal);
    private readonly DiagnosticBag diagnostics;

    public NameTable(DiagnosticBag diagnostics)
    {
        this.diagnostics = diagnostics;
    }

    public static bool IsIdentifier(string name) => Identifier.IsMatch(name);

    /// <summary>Declares a name; false (after reporting FUS005) when it is invalid, reserved or taken.</summary>
    public bool Declare(string name, string what, SourceLocation location)
    {
        if (!IsIdentifier(name))
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidName(location, name, what));
            return false;
        }

        if (Reserved.Contains(name))
        {
            diagnostics.Add(DiagnosticDescriptors.ReservedName(location, name));
            return false;
        }

        if (declared.TryGetValue(name, out var first))
        {
            diagnostics.Add(DiagnosticDescriptors.DuplicateName(location, name, first));
            return false;
        }

        declared.Add(name, location);
        return true;
    }
}
