using Fusion.Spec.Diagnostics;
using Fusion.Spec.Document;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>Reads the <c>encoders</c> and <c>fusion</c> sections into node drafts.</summary>
internal static class NodeBinder
{
    public static void Bind(BindContext context, DocMap section, NodeSection kind, List<NodeDraft> drafts)
    {
        foreach (var entry in section.Entries)
        {
            string name = entry.Key.Text;
            bool named = context.Names.Declare(name, "node", entry.Key.Location);
            var draft = new NodeDraft(name, kind, drafts.Count, entry.Key.Location);
            Read(context, draft, entry.Value);
            if (named)
            {
                drafts.Add(draft);
            }
        }
    }

    private static void Read(BindContext context, NodeDraft draft, DocNode value)
    {
        string sectionName = draft.Section == NodeSection.Encoders ? "encoders" : "fusion";
        var mapNode = ValueReader.Map(context, value, draft.Name, "a map such as { op: mlp, input: x, out: 32 }");
        if (mapNode is null)
        {
            draft.Broken = true;
            return;
        }

        var opNode = mapNode.Find("op")?.Value;
        OpDefinition? op = null;
        if (opNode is null)
        {
            context.Report(DiagnosticDescriptors.Missing(draft.Location, "op", $"node '{draft.Name}'"));
        }
        else
        {
            var opName = ValueReader.Enum(context, opNode, "op", "op", OpRegistry.Names.ToList());
            op = opName is null ? null : OpRegistry.Get(opName);
        }

        draft.Op = op;
        if (op is null)
        {
            // Without the op the other keys cannot be checked; its references still are.
            draft.Broken = true;
            ReadInputsLeniently(context, draft, mapNode);
            return;
        }

        var known = new List<string> { "op", "group", op.TakesSeveralInputs ? "inputs" : "input" };
        known.AddRange(op.Attributes.Select(a => a.Name));
        var map = new MapReader(context, mapNode, $"node '{draft.Name}' (op {op.Name})", known, draft.Location);

        if (draft.Section == NodeSection.Encoders && op.TakesSeveralInputs)
        {
            context.Report(DiagnosticDescriptors.PreconditionFailed(
                opNode!.Location, $"op '{op.Name}' takes several inputs, but 'encoders' takes single-input ops; declare node '{draft.Name}' under 'fusion'"));
            draft.Broken = true;
        }

        draft.Broken |= !ReadInputs(context, draft, map, op);
        draft.Attributes = AttributeReader.Read(context, map, op.Attributes, draft.Location);
        draft.Broken |= !draft.Attributes.IsComplete;

        var group = map.Text("group", sectionName);
        if (group is null)
        {
            draft.Broken = true;
        }
        else if (!NameTable.IsIdentifier(group))
        {
            context.Report(DiagnosticDescriptors.InvalidName(map.LocationOf("group"), group, "parameter group"));
            draft.Broken = true;
        }
        else
        {
            draft.Group = group;
        }
    }

    private static bool ReadInputs(BindContext context, NodeDraft draft, MapReader map, OpDefinition op)
    {
        if (!op.TakesSeveralInputs)
        {
            var node = map.Require("input");
            var text = node is null ? null : ValueReader.Text(context, node, "input");
            if (text is null)
            {
                return false;
            }

            draft.Inputs.Add(ReferenceDraft.Parse(text, node!.Location));
            return true;
        }

        var listNode = map.Require("inputs");
        var list = listNode is null ? null : ValueReader.TextList(context, listNode, "inputs");
        if (list is null)
        {
            return false;
        }

        draft.Inputs.AddRange(list.Select(i => ReferenceDraft.Parse(i.Text, i.Node.Location)));
        int count = list.Count;
        if (count < op.MinInputs || count > op.MaxInputs)
        {
            string wanted = op.MinInputs == op.MaxInputs ? $"exactly {op.MinInputs}"
                : op.MaxInputs == int.MaxValue ? $"at least {op.MinInputs}"
                : $"{op.MinInputs} to {op.MaxInputs}";
            context.Report(DiagnosticDescriptors.PreconditionFailed(listNode!.Location, $"op '{op.Name}' takes {wanted} inputs, but node '{draft.Name}' lists {count}"));
            return false;
        }

        bool ok = true;
        var seen = new Dictionary<string, ReferenceDraft>(StringComparer.Ordinal);
        foreach (var input in draft.Inputs)
        {
            if (seen.TryGetValue(input.InputName, out var first))
            {
                context.Report(DiagnosticDescriptors.PreconditionFailed(
                    input.Location,
                    $"inputs '{first.Text}' and '{input.Text}' of node '{draft.Name}' would both be named '{input.InputName}' (inputs name members and per-input parameters); list each value once"));
                ok = false;
            }
            else
            {
                seen.Add(input.InputName, input);
            }
        }

        return ok;
    }

    private static void ReadInputsLeniently(BindContext context, NodeDraft draft, DocMap map)
    {
        if (map.Find("input")?.Value is DocScalar single && !single.IsNull)
        {
            draft.Inputs.Add(ReferenceDraft.Parse(single.Text, single.Location));
        }

        if (map.Find("inputs")?.Value is DocList list)
        {
            foreach (var item in list.Items.OfType<DocScalar>().Where(s => !s.IsNull))
            {
                draft.Inputs.Add(ReferenceDraft.Parse(item.Text, item.Location));
            }
        }
    }
}
