using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>
/// Reads the <c>context</c> section (CBMF). Defaults: every modality, width 3, std 0.3,
/// mlp [64, 128], out the width of the <c>cbmf</c> node's inputs.
/// </summary>
internal sealed class ContextBinder
{
    private static readonly string[] Keys = ["modalities", "width", "std", "mlp", "out"];

    private readonly int? width;
    private readonly double? std;
    private readonly List<int>? mlp;
    private readonly bool ok;

    private ContextBinder(ContextDraft draft, int? width, double? std, List<int>? mlp, bool ok)
    {
        Draft = draft;
        this.width = width;
        this.std = std;
        this.mlp = mlp;
        this.ok = ok;
    }

    public ContextDraft Draft { get; }

    public static ContextBinder? Read(BindContext context, DocEntry entry, IReadOnlyList<ModalitySpec> modalities)
    {
        var mapNode = ValueReader.Map(context, entry.Value, "context");
        if (mapNode is null)
        {
            return null;
        }

        var map = new MapReader(context, mapNode, "'context'", Keys, entry.Key.Location);
        bool ok = true;
        var names = modalities.Select(m => m.Name).ToList();
        var listed = names;
        if (map.Get("modalities") is { } modalitiesNode)
        {
            var items = ValueReader.TextList(context, modalitiesNode, "modalities");
            ok &= items is not null;
            listed = [];
            foreach (var (text, node) in items ?? [])
            {
                if (!names.Contains(text))
                {
                    context.Report(DiagnosticDescriptors.Undeclared(node.Location, text, "context 'modalities'", Suggestions.Closest(text, names)));
                    ok = false;
                }
                else if (listed.Contains(text))
                {
                    context.Report(DiagnosticDescriptors.DuplicateItem(node.Location, text, "context 'modalities'"));
                    ok = false;
                }
                else
                {
                    listed.Add(text);
                }
            }
        }

        var width = map.Int("width", 3);
        var std = map.Number("std", 0.3);
        var mlpNode = map.Get("mlp");
        var mlp = mlpNode is null ? [64, 128] : ValueReader.IntList(context, mlpNode, "mlp", ValueRange.Positive);
        var outWidth = map.Int("out", null);
        ok &= width is not null && std is not null && mlp is not null && (outWidth is not null || !map.Has("out"));
        var draft = new ContextDraft(listed, outWidth, entry.Key.Location);
        return new ContextBinder(draft, width, std, mlp, ok);
    }

    /// <summary>The IR, once the graph has been inferred (and so <c>out</c> is known); null after reporting otherwise.</summary>
    public ContextSpec? Finish(BindContext context, bool anyCbmfNode)
    {
        if (!ok)
        {
            return null;
        }

        if (Draft.Out is not int outWidth)
        {
            if (anyCbmfNode)
            {
                return null; // the cbmf node's own error explains it
            }

            context.Report(DiagnosticDescriptors.Missing(Draft.Location, "out", "'context' (no cbmf node gives its width)"));
            return null;
        }

        return new ContextSpec(Draft.Modalities.ToEquatableArray(), width!.Value, std!.Value, mlp!.ToEquatableArray(), outWidth, Draft.Location);
    }
}
