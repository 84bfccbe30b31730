using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>Reads the <c>modalities</c> section.</summary>
internal static class ModalityBinder
{
    private static readonly string[] Keys = ["shape", "kind", "vocab", "optional"];
    private static readonly string[] Kinds = ["vector", "sequence", "image", "tokens"];

    /// <summary>The modalities that check; the names of those that do not go to <paramref name="broken"/>.</summary>
    public static List<ModalitySpec> Bind(BindContext context, DocMap section, ISet<string> broken)
    {
        var result = new List<ModalitySpec>();
        foreach (var entry in section.Entries)
        {
            string name = entry.Key.Text;
            bool named = context.Names.Declare(name, "modality", entry.Key.Location);
            var modality = BindOne(context, name, entry);
            if (named && modality is not null)
            {
                result.Add(modality);
            }
            else if (named)
            {
                broken.Add(name);
            }
        }

        return result;
    }

    private static ModalitySpec? BindOne(BindContext context, string name, DocEntry entry)
    {
        var mapNode = ValueReader.Map(context, entry.Value, name, "a map such as { shape: [300] }");
        if (mapNode is null)
        {
            return null;
        }

        var map = new MapReader(context, mapNode, $"modality '{name}'", Keys, entry.Key.Location);
        var shapeNode = map.Require("shape");
        var dims = shapeNode is null ? null : ValueReader.IntList(context, shapeNode, "shape", ValueRange.Any);
        var kindText = map.Enum("kind", null, "modality kind", Kinds);
        var vocab = map.Int("vocab", null);
        var optional = map.Bool("optional", false);
        if (dims is null || (map.Has("kind") && kindText is null) || (map.Has("vocab") && vocab is null) || optional is null)
        {
            return null;
        }

        var shapeLocation = shapeNode!.Location;
        if (dims.Count is < 1 or > 3)
        {
            context.Report(DiagnosticDescriptors.NotInRange(shapeLocation, "shape", Shape.Of([.. dims]).ToString(), "of rank 1 (vector or tokens), 2 (sequence) or 3 (image)"));
            return null;
        }

        var kind = kindText switch
        {
            "vector" => ModalityKind.Vector,
            "sequence" => ModalityKind.Sequence,
            "image" => ModalityKind.Image,
            "tokens" => ModalityKind.Tokens,
            _ => ValueInfo.KindOfRank(dims.Count),
        };

        var shape = Shape.Of([.. dims]);
        int expectedRank = kind switch { ModalityKind.Vector or ModalityKind.Tokens => 1, ModalityKind.Sequence => 2, _ => 3 };
        if (dims.Count != expectedRank)
        {
            context.Report(DiagnosticDescriptors.ShapeExpectation(
                shapeLocation, $"modality '{name}'", shape, $"kind '{kindText}'", $"a shape of rank {expectedRank}"));
            return null;
        }

        bool ok = true;
        bool hasSteps = kind is ModalityKind.Sequence or ModalityKind.Tokens;
        var items = ((DocList)shapeNode).Items;
        for (int axis = 0; axis < dims.Count; axis++)
        {
            int d = dims[axis];
            if (d > 0 || (d == Shape.Open && axis == 0 && hasSteps))
            {
                continue;
            }

            string text = d.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Report(d == Shape.Open
                ? DiagnosticDescriptors.NotInRange(items[axis].Location, "shape", text, "positive here; only the length of a sequence or token modality (its first axis) may be open (-1)")
                : DiagnosticDescriptors.NotPositive(items[axis].Location, "shape", text));
            ok = false;
        }

        if (kind == ModalityKind.Tokens && vocab is null)
        {
            context.Report(DiagnosticDescriptors.Missing(entry.Key.Location, "vocab", $"tokens modality '{name}'"));
            ok = false;
        }
        else if (kind != ModalityKind.Tokens && vocab is not null)
        {
            context.Report(DiagnosticDescriptors.PreconditionFailed(
                map.LocationOf("vocab"), $"'vocab' applies only to tokens modalities, but modality '{name}' is a {kind.ToString().ToLowerInvariant()}; write kind: tokens or remove vocab"));
            ok = false;
        }

        return ok ? new ModalitySpec(name, shape, kind, vocab, optional.Value, entry.Key.Location) : null;
    }
}
