using Fusion.Spec.Diagnostics;
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

            try
            {
                Infer(context, draft, draft.Op, inputs, contextSection);
            }
            catch (OverflowException)
            {
                draft.Broken = true;
                draft.Output = null;
                draft.Spec = null;
                context.Report(DiagnosticDescriptors.SizeOverflow(draft.Location, draft.Name));
            }
        }
    }

    private static void Infer(BindContext context, NodeDraft draft, OpDefinition definition, List<InputValue> inputs, ContextDraft? contextSection)
    {
        var op = new OpContext(draft.Name, definition.Name, draft.Location, inputs, draft.Attributes, contextSection, context.Diagnostics);
        var output = definition.Infer(op);
        if (output is null || op.Failed)
        {
            draft.Broken = true;
            return;
        }

        var spec = new NodeSpec(
            draft.Name,
            draft.Section,
            definition.Name,
            inputs.Select(i => i.Reference).ToEquatableArray(),
            draft.Attributes.ToResolved(),
            output.Single?.Shape,
            output.Single?.Kind,
            output.Members.Select(m => new NodeMember(m.Name, m.Value.Shape, m.Value.Kind)).ToEquatableArray(),
            draft.Group,
            draft.Location);

        // Lay the node's tensors out once now, so that a size overflow is a diagnostic here, never an exception later.
        definition.AddParameters(spec, new ParameterSink());
        definition.AddBuffers(spec, new ParameterSink());
        draft.Output = output;
        draft.Spec = spec;
    }
}
