namespace Fusion.Spec.Ops.Blocks;

/// <summary>
/// AutoFusion's compressor and decoder over <c>F</c> concatenated features:
/// <c>encoder1 [F/2, F]</c>, <c>encoder2 [latent, F/2]</c> (with biases), <c>decoder1 [F/2, latent]</c>,
/// <c>decoder2 [F, F/2]</c> (bare matrices).
/// </summary>
internal static class AutoFusionBlock
{
    public static void AddParameters(ParameterSink sink, int features, int latent)
    {
        int half = features / 2;
        sink.Linear("encoder1", half, features);
        sink.Linear("encoder2", latent, half);
        sink.Linear("decoder1", half, latent, bias: false);
        sink.Linear("decoder2", features, half, bias: false);
    }
}
