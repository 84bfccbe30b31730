using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;

namespace Fusion.Spec.Validation;

/// <summary>
/// Resolves references (<c>x</c>, <c>node.member</c>) against the declared modalities and nodes
/// (and, for losses, heads): FUS003 for names that are not declared, members that do not exist,
/// or members of a single-output producer; FUS010 for a multi-output node referenced whole.
/// </summary>
internal sealed class ReferenceResolver
{
    private readonly BindContext context;
    private readonly Dictionary<string, ModalitySpec> modalities;
    private readonly Dictionary<string, NodeDraft> nodes;
    private readonly ISet<string> brokenModalities;

    /// <param name="brokenModalities">declared modalities that did not check: references to them are not reported again, their consumers are skipped.</param>
    public ReferenceResolver(BindContext context, IEnumerable<ModalitySpec> modalities, ISet<string> brokenModalities, IEnumerable<NodeDraft> nodes)
    {
        this.context = context;
        this.brokenModalities = brokenModalities;
        this.modalities = modalities.ToDictionary(m => m.Name, StringComparer.Ordinal);
        this.nodes = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
    }

    public ModalitySpec? FindModality(string name) => modalities.TryGetValue(name, out var m) ? m : null;

    public NodeDraft? FindNode(string name) => nodes.TryGetValue(name, out var n) ? n : null;

    public IEnumerable<string> ValueNames => modalities.Keys.Concat(brokenModalities).Concat(nodes.Keys);

    /// <summary>True for a declared modality that did not check.</summary>
    public bool IsBrokenModality(string name) => brokenModalities.Contains(name);

    /// <summary>Checks a reference; returns false after reporting when it names nothing usable.</summary>
    public bool Check(ReferenceDraft reference, string usedIn, IEnumerable<string>? extraNames = null)
    {
        if (brokenModalities.Contains(reference.Producer))
        {
            return true; // reported where it is declared; ValueOf gives nothing, so consumers are skipped
        }

        if (modalities.ContainsKey(reference.Producer))
        {
            if (reference.Member is not null)
            {
                context.Report(DiagnosticDescriptors.NotMultiOutput(reference.Location, reference.Producer, reference.Member));
                return false;
            }

            return true;
        }

        if (nodes.TryGetValue(reference.Producer, out var node))
        {
            if (node.Op is null)
            {
                return true; // its own error is reported; consumers are skipped as broken
            }

            if (node.Op.IsMultiOutput)
            {
                var members = node.MemberNames.ToList();
                if (reference.Member is null)
                {
                    context.Report(DiagnosticDescriptors.PreconditionFailed(
                        reference.Location,
                        $"node '{node.Name}' ({node.Op.Name}) has one output per input; reference one of them: {string.Join(", ", members.Select(m => $"'{node.Name}.{m}'"))}"));
                    return false;
                }

                if (!members.Contains(reference.Member))
                {
                    context.Report(DiagnosticDescriptors.NoSuchMember(reference.Location, node.Name, reference.Member, members));
                    return false;
                }

                return true;
            }

            if (reference.Member is not null)
            {
                context.Report(DiagnosticDescriptors.NotMultiOutput(reference.Location, reference.Producer, reference.Member));
                return false;
            }

            return true;
        }

        var candidates = ValueNames.Concat(extraNames ?? []).ToList();
        context.Report(DiagnosticDescriptors.Undeclared(reference.Location, reference.Text, usedIn, Suggestions.Closest(reference.Producer, candidates)));
        return false;
    }

    /// <summary>The value a checked reference names, or null when its producer has no output (broken).</summary>
    public Ops.ValueInfo? ValueOf(ReferenceDraft reference)
    {
        if (modalities.TryGetValue(reference.Producer, out var modality))
        {
            return new Ops.ValueInfo(modality.Shape, modality.Kind, modality.Vocab, modality.Name);
        }

        if (!nodes.TryGetValue(reference.Producer, out var node) || node.Output is null)
        {
            return null;
        }

        if (reference.Member is null)
        {
            return node.Output.Single;
        }

        foreach (var (name, value) in node.Output.Members)
        {
            if (name == reference.Member)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The IR form of a checked, resolved reference.</summary>
    public ValueReference? ToIr(ReferenceDraft reference)
    {
        var value = ValueOf(reference);
        if (value is null)
        {
            return null;
        }

        var kind = modalities.ContainsKey(reference.Producer) ? ProducerKind.Modality : ProducerKind.Node;
        return new ValueReference(reference.Producer, reference.Member, kind, value.Shape, value.Kind, reference.Location);
    }
}
