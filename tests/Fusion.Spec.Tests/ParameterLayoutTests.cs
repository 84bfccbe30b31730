namespace Fusion.Spec.Tests;

/// <summary>State-dict keys and shapes in PyTorch layout, with counts computed by hand.</summary>
public class ParameterLayoutTests
{
    private const string Encoders = """
        model: Probe
        modalities:
          text:   { shape: [300] }
          audio:  { shape: [74] }
          vision: { shape: [35], optional: true }
        encoders:
          text_h:   { op: mlp, input: text,   hidden: [128], out: 32, dropout: 0.15 }
          audio_h:  { op: mlp, input: audio,  hidden: [32],  out: 16 }
          vision_h: { op: mlp, input: vision, hidden: [32],  out: 16 }
        """;

    // text_h:   layers.0 [128, 300] + [128] = 38400 + 128 = 38528; layers.1 [32, 128] + [32] = 4096 + 32 = 4128 -> 42656
    // audio_h:  layers.0 [32, 74] + [32] = 2368 + 32 = 2400;       layers.1 [16, 32] + [16] = 512 + 16 = 528   -> 2928
    // vision_h: layers.0 [32, 35] + [32] = 1120 + 32 = 1152;       layers.1 [16, 32] + [16] = 528              -> 1680
    private const long EncoderCount = 42656 + 2928 + 1680; // 47264

    [Fact]
    public void TensorFusionNetworkMatchesTheHandCount()
    {
        var spec = SpecText.Valid(Encoders + """

            fusion:
              tfn:   { op: tensor, inputs: [text_h, audio_h, vision_h] }
              fused: { op: mlp, input: tfn, hidden: [128], out: 128, dropout: 0.15 }
            heads:
              sentiment: { type: regressor, input: fused, outputs: 1 }
            losses:
              - { type: l1, head: sentiment }
            """);

        // tfn: no parameters; its width is (32 + 1) * (16 + 1) * (16 + 1) = 33 * 17 * 17 = 9537
        // fused: layers.0 [128, 9537] + [128] = 1220736 + 128 = 1220864; layers.1 [128, 128] + [128] = 16384 + 128 = 16512 -> 1237376
        // sentiment: layers.0 [1, 128] + [1] = 129
        long expected = EncoderCount + 1237376 + 129;
        Assert.Equal(1284769, expected);

        var layout = ParameterLayout.Trainable(spec);
        Assert.Equal("[9537]", spec.FindNode("tfn")!.Output!.ToString());
        Assert.Equal(expected, layout.Sum(p => p.Shape.ElementCount));
        Assert.Equal(expected, ParameterLayout.TrainableCount(spec));
        Assert.Contains(layout, p => p.Key == "fused.layers.0.weight" && p.Shape.ToString() == "[128, 9537]");
        Assert.Equal("sentiment.layers.0.bias", layout[^1].Key);
        Assert.Empty(ParameterLayout.Buffers(spec));
    }

    [Fact]
    public void LowRankFusionMatchesTheHandCountAndKeyOrder()
    {
        var spec = SpecText.Valid(Encoders + """

            fusion:
              lmf: { op: lowrank, inputs: [text_h, audio_h, vision_h], rank: 4, out: 64 }
            heads:
              sentiment: { type: regressor, input: lmf }
            losses:
              - { type: l1, head: sentiment }
            """);

        // factors.text_h [4, 33, 64] = 8448; factors.audio_h [4, 17, 64] = 4352; factors.vision_h [4, 17, 64] = 4352
        // fusion_weights [4] = 4; fusion_bias [64] = 64 -> 17220
        // sentiment: [1, 64] + [1] = 65
        long expected = EncoderCount + (8448 + 4352 + 4352 + 4 + 64) + 65;
        Assert.Equal(64549, expected);

        var layout = ParameterLayout.Trainable(spec);
        Assert.Equal(expected, layout.Sum(p => p.Shape.ElementCount));
        Assert.Equal(
            [
                "text_h.layers.0.weight [128, 300]", "text_h.layers.0.bias [128]", "text_h.layers.1.weight [32, 128]", "text_h.layers.1.bias [32]",
                "audio_h.layers.0.weight [32, 74]", "audio_h.layers.0.bias [32]", "audio_h.layers.1.weight [16, 32]", "audio_h.layers.1.bias [16]",
                "vision_h.layers.0.weight [32, 35]", "vision_h.layers.0.bias [32]", "vision_h.layers.1.weight [16, 32]", "vision_h.layers.1.bias [16]",
                "lmf.fusion_weights [4]", "lmf.fusion_bias [64]",
                "lmf.factors.text_h [4, 33, 64]", "lmf.factors.audio_h [4, 17, 64]", "lmf.factors.vision_h [4, 17, 64]",
                "sentiment.layers.0.weight [1, 64]", "sentiment.layers.0.bias [1]",
            ],
            layout.Select(p => p.ToString()));
    }

    [Fact]
    public void RecurrentLayersUsePyTorchNames()
    {
        var spec = SpecText.Valid("""
            model: Rnn
            modalities:
              audio: { shape: [50, 74] }
            encoders:
              audio_h: { op: lstm, input: audio, hidden: 8, layers: 2, bidirectional: true }
            heads:
              score: { type: regressor, input: audio_h }
            losses:
              - { type: mse, head: score }
            """);

        var keys = ParameterLayout.Trainable(spec).Where(p => p.Key.StartsWith("audio_h.", StringComparison.Ordinal)).Select(p => p.ToString());

        // G = 4 (LSTM), hidden 8: G*hidden = 32; layer 1 reads D*hidden = 16
        Assert.Equal(
            [
                "audio_h.weight_ih_l0 [32, 74]", "audio_h.weight_hh_l0 [32, 8]", "audio_h.bias_ih_l0 [32]", "audio_h.bias_hh_l0 [32]",
                "audio_h.weight_ih_l0_reverse [32, 74]", "audio_h.weight_hh_l0_reverse [32, 8]", "audio_h.bias_ih_l0_reverse [32]", "audio_h.bias_hh_l0_reverse [32]",
                "audio_h.weight_ih_l1 [32, 16]", "audio_h.weight_hh_l1 [32, 8]", "audio_h.bias_ih_l1 [32]", "audio_h.bias_hh_l1 [32]",
                "audio_h.weight_ih_l1_reverse [32, 16]", "audio_h.weight_hh_l1_reverse [32, 8]", "audio_h.bias_ih_l1_reverse [32]", "audio_h.bias_hh_l1_reverse [32]",
            ],
            keys);
    }

    [Fact]
    public void CbmfContextTransformerAndLearnableScale()
    {
        var spec = SpecText.Valid("""
            model: Cbmf
            modalities:
              image: { shape: [512] }
              text: { shape: [768] }
            encoders:
              image_p: { op: projection, input: image, out: 8 }
              text_p: { op: projection, input: text, out: 8 }
            context: { width: 3, mlp: [4], out: 8 }
            fusion:
              dfe: { op: cbmf, inputs: [image_p, text_p], combine: dot_attention, heads: 2, ff: 16 }
            heads:
              image_z: { type: embedding, input: dfe.image_p, dim: 8 }
              text_z: { type: embedding, input: dfe.text_p, dim: 8 }
            losses:
              - { type: contrastive, between: [image_z, text_z], scale: learnable, name: align }
            """);

        var layout = ParameterLayout.Trainable(spec).Select(p => p.ToString()).ToList();

        Assert.Equal(
            ["context.vectors.image [3]", "context.vectors.text [3]", "context.mlp.layers.0.weight [4, 3]", "context.mlp.layers.0.bias [4]",
             "context.mlp.layers.1.weight [8, 4]", "context.mlp.layers.1.bias [8]", "context.mlp.norm.weight [8]", "context.mlp.norm.bias [8]"],
            layout.Take(8));
        var dfe = layout.Where(k => k.StartsWith("dfe.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["dfe.combine.weight [8, 8]", "dfe.combine.bias [8]", "dfe.norm.weight [8]", "dfe.norm.bias [8]",
             "dfe.encoder.layers.0.self_attn.in_proj_weight [24, 8]", "dfe.encoder.layers.0.self_attn.in_proj_bias [24]",
             "dfe.encoder.layers.0.self_attn.out_proj.weight [8, 8]", "dfe.encoder.layers.0.self_attn.out_proj.bias [8]",
             "dfe.encoder.layers.0.linear1.weight [16, 8]", "dfe.encoder.layers.0.linear1.bias [16]",
             "dfe.encoder.layers.0.linear2.weight [8, 16]", "dfe.encoder.layers.0.linear2.bias [8]",
             "dfe.encoder.layers.0.norm1.weight [8]", "dfe.encoder.layers.0.norm1.bias [8]",
             "dfe.encoder.layers.0.norm2.weight [8]", "dfe.encoder.layers.0.norm2.bias [8]"],
            dfe);
        Assert.Equal("losses.align.logit_scale []", layout[^1]);
    }

    [Fact]
    public void BuffersHoldBatchNormStatisticsAndSketches()
    {
        var spec = SpecText.Valid("""
            model: Buffers
            modalities:
              a: { shape: [10] }
              b: { shape: [6] }
            fusion:
              bn: { op: mlp, input: a, hidden: [12], out: 4, norm: batch }
              pooled: { op: mcb, inputs: [a, b], out: 32 }
            heads:
              score: { type: regressor, input: pooled }
            losses:
              - { type: mse, head: score }
            """);

        Assert.Equal(
            ["bn.norms.0.running_mean [12]", "bn.norms.0.running_var [12]", "bn.norms.0.num_batches_tracked []",
             "pooled.sketches.a.index [10]", "pooled.sketches.a.sign [10]", "pooled.sketches.b.index [6]", "pooled.sketches.b.sign [6]"],
            ParameterLayout.Buffers(spec).Select(p => p.ToString()));
        Assert.Contains(ParameterLayout.Trainable(spec), p => p.ToString() == "bn.norms.0.weight [12]");
        Assert.DoesNotContain(ParameterLayout.Trainable(spec), p => p.Key.StartsWith("pooled.", StringComparison.Ordinal));
    }
}
