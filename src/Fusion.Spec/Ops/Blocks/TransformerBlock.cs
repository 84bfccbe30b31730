namespace Fusion.Spec.Ops.Blocks;

/// <summary>The layout of PyTorch's <c>nn.TransformerEncoderLayer</c> stacked as <c>layers.i</c>.</summary>
internal static class TransformerBlock
{
    public static void AddParameters(ParameterSink sink, int layers, int width, int ff)
    {
        for (int i = 0; i < layers; i++)
        {
            var layer = sink.Scope($"layers.{i}");
            AddAttention(layer.Scope("self_attn"), width);
            layer.Linear("linear1", ff, width);
            layer.Linear("linear2", width, ff);
            layer.Norm("norm1", width);
            layer.Norm("norm2", width);
        }
    }

    /// <summary><c>nn.MultiheadAttention</c>: <c>in_proj_weight [3w, w]</c>, <c>in_proj_bias [3w]</c>, <c>out_proj.weight [w, w]</c>, <c>out_proj.bias [w]</c>.</summary>
    public static void AddAttention(ParameterSink sink, int width)
    {
        sink.Add("in_proj_weight", 3 * width, width);
        sink.Add("in_proj_bias", 3 * width);
        sink.Linear("out_proj", width, width);
    }

    /// <summary>Attention needs the width to split evenly over the heads (FUS010 otherwise).</summary>
    public static bool CheckHeads(OpContext context, int width, string widthWhat)
    {
        int heads = context.Attributes.Int("heads");
        if (width % heads == 0)
        {
            return true;
        }

        context.Precondition(
            context.Attributes.LocationOf("heads"),
            $"{widthWhat} {width} of {context.Consumer} does not split over {heads} attention heads; choose heads that divide {width}");
        return false;
    }
}
