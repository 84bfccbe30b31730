using System.Collections.Immutable;
using Fusion.Spec.Ir;
using Fusion.Spec.Ops;
using Fusion.Spec.Ops.Blocks;

namespace Fusion.Spec;

/// <summary>
/// The state dict of a checked spec, in PyTorch layout: the contract that checkpoints and the
/// code generator follow. Order: the context section, then every node in IR order, then the
/// heads, then the losses; within each, the order of the spec language's state-dict column.
/// </summary>
public static class ParameterLayout
{
    /// <summary>Every trainable tensor's key and shape.</summary>
    public static ImmutableArray<ParameterInfo> Trainable(FusionSpec spec)
    {
        var sink = new ParameterSink();
        if (spec.Context is { } context)
        {
            var scope = sink.Scope("context");
            foreach (var modality in context.Modalities)
            {
                scope.Add($"vectors.{modality}", context.Width);
            }

            var mlp = scope.Scope("mlp");
            MlpBlock.AddParameters(mlp, context.Width, context.Mlp, context.Out, norms: false);
            mlp.Norm("norm", context.Out);
        }

        foreach (var node in spec.Nodes)
        {
            OpRegistry.Get(node.Op).AddParameters(node, sink.Scope(node.Name));
        }

        foreach (var head in spec.Heads)
        {
            MlpBlock.AddParameters(sink.Scope(head.Name), head.Input.Shape.Width, head.Hidden, head.Size, norms: false);
        }

        foreach (var loss in spec.Losses)
        {
            if (loss.Type == LossType.Contrastive && loss.Options.GetText("scale") == "learnable")
            {
                sink.Add($"losses.{loss.Name}.logit_scale");
            }
        }

        return sink.ToImmutable();
    }

    /// <summary>Every non-trainable tensor (batch-norm running statistics, MCB count sketches), same order.</summary>
    public static ImmutableArray<ParameterInfo> Buffers(FusionSpec spec)
    {
        var sink = new ParameterSink();
        foreach (var node in spec.Nodes)
        {
            OpRegistry.Get(node.Op).AddBuffers(node, sink.Scope(node.Name));
        }

        return sink.ToImmutable();
    }

    /// <summary>The number of trainable scalars.</summary>
    public static long TrainableCount(FusionSpec spec) => Trainable(spec).Sum(p => p.Shape.ElementCount);
}
