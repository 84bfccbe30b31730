using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Validation;

/// <summary>
/// Targets are read from the data by name: a target may be shared by several heads only when
/// they read it with the same shape (FUS007), and may not be named like a modality (FUS005).
/// </summary>
internal static class TargetChecks
{
    /// <summary>Reports conflicts; returns false when there were any.</summary>
    public static bool Check(BindContext context, IEnumerable<HeadSpec> heads, IEnumerable<ModalitySpec> modalities)
    {
        bool ok = true;
        var modalityNames = new HashSet<string>(modalities.Select(m => m.Name), StringComparer.Ordinal);
        var first = new Dictionary<string, HeadSpec>(StringComparer.Ordinal);
        foreach (var head in heads)
        {
            if (head.Target is not string target || head.TargetShape is not Shape shape)
            {
                continue;
            }

            if (modalityNames.Contains(target))
            {
                context.Report(DiagnosticDescriptors.BadName.Create(
                    head.Location, $"head '{head.Name}' reads target '{target}', which is also the name of a modality; the data could not tell them apart, so name the target differently"));
                ok = false;
                continue;
            }

            if (!first.TryGetValue(target, out var earlier))
            {
                first.Add(target, head);
            }
            else if (earlier.TargetShape != shape || earlier.Type == HeadType.Classifier != (head.Type == HeadType.Classifier))
            {
                context.Report(DiagnosticDescriptors.ShapeConflict(
                    head.Location,
                    $"head '{head.Name}' reads target '{target}' as {Describe(head)} but head '{earlier.Name}' reads it as {Describe(earlier)}; heads that share a target must agree on its shape"));
                ok = false;
            }
        }

        return ok;
    }

    private static string Describe(HeadSpec head) =>
        head.Type == HeadType.Classifier ? "a class index []" : $"{head.TargetShape} floats";
}
