using System.Collections.Immutable;
using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;

namespace Fusion.Spec.Yaml;

/// <summary>
/// YAML text -> the untyped document, for a front end that adjusts the document before
/// <see cref="Validation.SpecBinder"/> checks it (the source generator sets <c>model</c> and
/// <c>namespace</c> from MSBuild item metadata). <see cref="SpecReader.Parse"/> is the whole path.
/// </summary>
public static class YamlDocument
{
    /// <summary>The root of the single document (null when the file is empty or not valid YAML) and the FUS000 diagnostics.</summary>
    public static DocNode? Read(string text, string path, out ImmutableArray<SpecDiagnostic> diagnostics)
    {
        var bag = new DiagnosticBag();
        var root = YamlDocumentReader.Read(text, path, bag);
        diagnostics = bag.ToImmutableSorted();
        return root;
    }
}
