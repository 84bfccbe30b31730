using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Fusion.Generators.Model;
using Fusion.Spec;
using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;
using Fusion.Spec.Document;
using Fusion.Spec.Validation;
using Fusion.Spec.Yaml;
using Microsoft.CodeAnalysis.Text;

namespace Fusion.Generators.Emit;

/// <summary>
/// A <c>*.fusion.yaml</c> file -> YAML document (with <c>model</c> and <c>namespace</c> replaced by
/// the item metadata when given) -> <see cref="SpecBinder"/> -> emitter; diagnostics at the YAML
/// line and column.
/// </summary>
internal static class YamlModelGenerator
{
    public static GenerationResult Generate(YamlSpecFile file, CancellationToken cancellationToken)
    {
        var root = YamlDocument.Read(file.Text, file.Path, out var readDiagnostics);
        cancellationToken.ThrowIfCancellationRequested();
        var text = SourceText.From(file.Text);
        LocationInfo Locate(SourceLocation at) => At(file.Path, text, at);

        string fallbackHint = System.IO.Path.GetFileName(file.Path) + ".g.cs";
        if (root is null && readDiagnostics.Any(d => d.IsError))
        {
            return new GenerationResult(fallbackHint, null, readDiagnostics.Select(d => new DiagnosticInfo(d.Id, d.Message, Locate(d.Location))).ToEquatableArray());
        }

        if (root is DocMap map)
        {
            root = Override(map, "namespace", file.NamespaceOverride, file.Path);
            root = Override((DocMap)root, "model", file.ModelOverride, file.Path);
        }

        var bound = SpecBinder.Bind(root, file.Path, SpecReader.HashOf(file.Text));
        var hintName = bound.Spec is { } spec ? ModuleGeneration.HintName(spec.Namespace, spec.Model) : fallbackHint;
        return ModuleGeneration.Run(hintName, SourcePaths.Display(file.Path, file.ProjectDir), readDiagnostics, bound, Locate);
    }

    /// <summary>The root with <paramref name="key"/> set to <paramref name="value"/> (first in the map when the spec lacks it).</summary>
    private static DocMap Override(DocMap root, string key, string? value, string path)
    {
        if (value is null)
        {
            return root;
        }

        var at = root.Find(key)?.Key.Location ?? new SourceLocation(path, 1, 1);
        var replacement = new DocEntry(new DocScalar(key, false, at), new DocScalar(value, false, at));
        var entries = new List<DocEntry>();
        bool replaced = false;
        foreach (var entry in root.Entries)
        {
            if (entry.Key.Text == key)
            {
                if (!replaced)
                {
                    entries.Add(replacement);
                    replaced = true;
                }
            }
            else
            {
                entries.Add(entry);
            }
        }

        if (!replaced)
        {
            entries.Insert(0, replacement);
        }

        return new DocMap(entries, root.Location);
    }

    /// <summary>The span of the token at a 1-based line and column of the file.</summary>
    private static LocationInfo At(string path, SourceText text, SourceLocation at)
    {
        int lineIndex = System.Math.Min(System.Math.Max(at.Line - 1, 0), text.Lines.Count - 1);
        var line = text.Lines[lineIndex];
        int start = System.Math.Min(line.Start + System.Math.Max(at.Column - 1, 0), line.End);
        int end = start;
        while (end < line.End && !IsTokenEnd(text[end]))
        {
            end++;
        }

        var span = TextSpan.FromBounds(start, end);
        return new LocationInfo(path, span, text.Lines.GetLinePositionSpan(span));
    }

    private static bool IsTokenEnd(char c) => c is ' ' or '\t' or ',' or ':' or ']' or '}' or '#';
}
