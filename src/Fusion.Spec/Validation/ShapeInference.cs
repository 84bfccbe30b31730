using Fusion.Spec.Ir;
using Fusion.Spec.Ops;

namespace Fusion.Spec.Validation;

/// <summary>
/// Infers every node's output in topological order. A node whose producer is broken is skipped
/// without a diagnostic of its own (the producer's error explains it).
/// </summary>
internal static class ShapeInference
{
    public static void Run(BindContext context, IEnumerable<NodeDraft> ordered, ReferenceResolver resolver, ContextDraft? contextSection)
    {
        foreach (var draft in ordered)
        {
            if (draft.Broken || draft.Op is null)
            {
                continue;
            }

            var inputs = new List<InputValue>();
            foreach (var reference in draft.Inputs)
            {
                var ir = resolver.ToIr(reference);
                var value = resolver.ValueOf(reference);
                if (ir is null || value is null)
                {
                    break;
                }

                inputs.Add(new InputValue(ir, value));
            }

            if (inputs.Count != draft.Inputs.Count)
            {
                draft.Broken = true;
                continue;
            }

            var op = new OpContext(draft.Name, draft.Op.Name, draft.Location, inputs, draft.Attributes, contextSection, context.Diagnostics);
            var output = draft.Op.Infer(op);
            if (output is null || op.Failed)
            {
                draft.Broken = true;
                continue;
            }

            draft.Output = output;
            draft.Spec = new NodeSpec(
                draft.Name,
                draft.Section,
                draft.Op.Name,
                inputs.Select(i => i.Reference).ToEquatableArray(),
                draft.Attributes.ToResolved(),
                output.Single?.Shape,
                output.Single?.Kind,
                output.Members.Select(m => new NodeMember(m.Name, m.Value.Shape, m.Value.Kind)).ToEquatableArray(),
                draft.Group,
                draft.Location);
        }
    }
}
