using Fusion.Spec.Diagnostics;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec.Ops.Fusion;

/// <summary>
/// <c>cbmf</c>: CBMF's deep fusion encoder, shared by every input; each input's context
/// vector enters by <c>combine</c>, then a pre-norm transformer and pooling. One member per input.
/// </summary>
internal sealed class CbmfOp : OpDefinition
{
    public static readonly string[] Combines = ["add", "multiply", "concat", "additive_attention", "general_attention", "dot_attention"];

    public override string Name => "cbmf";

    public override bool TakesSeveralInputs => true;

    public override bool IsMultiOutput => true;

    public override IReadOnlyList<AttributeSchema> Attributes { get; } =
    [
        AttributeSchema.Enum("combine", "add", Combines),
        AttributeSchema.Bool("tanh", true),
        AttributeSchema.Int("layers", 1, ValueRange.LayerCount),
        AttributeSchema.Int("heads", 4),
        AttributeSchema.Int("ff", 2048),
        AttributeSchema.Dropout(0.1),
        AttributeSchema.Enum("pool", "mean", "mean", "max", "min", "first"),
        AttributeSchema.ComputedTextList("contexts"),
    ];

    public override OpOutput? Infer(OpContext context)
    {
        var a = context.Attributes;
        bool ok = true;
        foreach (var input in context.Inputs)
        {
            ok &= context.RequireKinds(input, ModalityKind.Vector, ModalityKind.Sequence);
        }

        ok = ok && InputChecks.EqualWidths(context, "a vector or sequence");
        string combine = a.Text("combine");
        if (a.IsExplicit("tanh") && combine != "additive_attention")
        {
            context.Precondition(a.LocationOf("tanh"), $"'tanh' applies only to combine: additive_attention, but {context.Consumer} combines by '{combine}'; remove it");
            ok = false;
        }

        if (context.Context is not { } ctx)
        {
            context.Precondition(context.Location, $"{context.Consumer} needs a 'context' section (the per-modality context vectors); add one at the top level");
            return null;
        }

        if (!ok)
        {
            return null;
        }

        int width = context.Inputs[0].Width;
        ok &= TransformerBlock.CheckHeads(context, width, "the input width");
        if (ctx.Out is null)
        {
            ctx.Out = width;
        }
        else if (ctx.Out != width)
        {
            context.Report(DiagnosticDescriptors.ShapeConflict(
                context.Inputs[0].Reference.Location,
                $"the inputs of {context.Consumer} have width {width} but the context vectors have width {ctx.Out} (context 'out'); they must be equal"));
            ok = false;
        }

        ok &= ResolveContexts(context, ctx);
        if (combine == "additive_attention" && !a.Bool("tanh"))
        {
            context.Report(DiagnosticDescriptors.DegenerateSetting(
                a.LocationOf("tanh"),
                $"{context.Consumer} uses additive attention without the tanh: the context term is the same for every token, so the softmax cancels it and the context has no effect"));
        }

        if (!ok)
        {
            return null;
        }

        return OpOutput.OfMembers(context.Inputs
            .Select(i => (i.Name, new ValueInfo(Shape.Of(width), ModalityKind.Vector, null, i.Value.RootModality)))
            .ToList());
    }

    private static bool ResolveContexts(OpContext context, ContextDraft ctx)
    {
        var a = context.Attributes;
        if (a.Has("contexts"))
        {
            var listed = a.TextList("contexts");
            bool ok = true;
            if (listed.Count != context.Inputs.Count)
            {
                context.Precondition(a.LocationOf("contexts"), $"'contexts' of {context.Consumer} lists {listed.Count} modalities for {context.Inputs.Count} inputs; give one per input");
                ok = false;
            }

            foreach (var name in listed)
            {
                if (!ctx.Modalities.Contains(name))
                {
                    context.Report(DiagnosticDescriptors.UndeclaredName(
                        a.LocationOf("contexts"), name, "a modality with a context vector", Suggestions.Closest(name, ctx.Modalities), ctx.Modalities));
                    ok = false;
                }
            }

            return ok;
        }

        var roots = new List<string>();
        foreach (var input in context.Inputs)
        {
            var root = input.Value.RootModality;
            if (root is null)
            {
                context.Precondition(input.Reference.Location, $"input '{input.Reference.Text}' of {context.Consumer} does not derive from a single modality, so its context is not known; list 'contexts' explicitly");
                return false;
            }

            if (!ctx.Modalities.Contains(root))
            {
                context.Precondition(input.Reference.Location, $"input '{input.Reference.Text}' of {context.Consumer} derives from modality '{root}', which has no context vector; add it to context 'modalities' or list 'contexts'");
                return false;
            }

            roots.Add(root);
        }

        a.Set("contexts", new AttributeValue.TextList(roots.ToEquatableArray()));
        return true;
    }

    public override void AddParameters(NodeSpec node, ParameterSink sink)
    {
        int p = node.Inputs[0].Shape.Width;
        var combine = sink.Scope("combine");
        switch (node.Attributes.GetText("combine"))
        {
            case "concat":
                combine.Linear("layers.0", 2 * p, 2 * p);
                combine.Linear("layers.1", p, 2 * p);
                break;
            case "additive_attention":
                combine.Linear("context", p, p, bias: false);
                combine.Linear("value", p, p, bias: false);
                combine.Linear("score", 1, p);
                break;
            case "general_attention":
                combine.Linear("", p, p, bias: false);
                break;
            case "dot_attention":
                combine.Linear("", p, p);
                break;
        }

        sink.Norm("norm", p);
        TransformerBlock.AddParameters(sink.Scope("encoder"), node.Attributes.GetInt("layers"), p, node.Attributes.GetInt("ff"));
    }
}
