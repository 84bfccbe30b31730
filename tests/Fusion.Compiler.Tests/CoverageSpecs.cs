namespace Fusion.Compiler.Tests;

/// <summary>
/// Specs that exercise every op, head and loss the generator supports (the ones in specs/ that
/// use them also use ops of a later step, such as cbmf or misa), plus identifiers that collide with C#
/// keywords and with the generated code's own names.
/// </summary>
internal static class CoverageSpecs
{
    public const string Vectors = """
        model: OpsVectors
        namespace: Fusion.Tests.Generated
        modalities:
          text:   { shape: [12] }
          audio:  { shape: [6] }
          vision: { shape: [4], optional: true }
        encoders:
          text_p:   { op: projection, input: text, out: 8, dropout: 0.1 }
          audio_l:  { op: linear, input: audio, out: 8 }
          vision_m: { op: mlp, input: vision, hidden: [6], out: 8, norm: batch, activation: gelu }
        fusion:
          gmu3:  { op: gmu, inputs: [text_p, audio_l, vision_m], out: 5 }
          gmu2:  { op: gmu, inputs: [text_p, audio_l], out: 5 }
          gate:  { op: dynamic_gate, inputs: [text_p, audio_l, vision_m], out: 5 }
          tfn:   { op: tensor, inputs: [gmu3, gate] }
          lmf:   { op: lowrank, inputs: [text_p, audio_l], rank: 3, out: 7 }
          mcb:   { op: mcb, inputs: [text_p, audio_l], out: 10, signed_sqrt: true, l2_normalize: true, seed: 3 }
          film:  { op: film, inputs: [lmf, mcb] }
          wsum:  { op: weighted, inputs: [text_p, audio_l, vision_m], normalize: none }
          wsoft: { op: weighted, inputs: [gmu2, gate] }
          late:  { op: late, inputs: [tfn, film, wsum], out: 4, combine: weighted }
          joint: { op: concat, inputs: [late, wsum, wsoft] }
        heads:
          label: { type: classifier, input: joint, classes: 3, hidden: [8], dropout: 0.1 }
          tags:  { type: multilabel, input: tfn, labels: 4 }
          score: { type: regressor, input: film, outputs: 2 }
        losses:
          - { type: cross_entropy, head: label, label_smoothing: 0.1 }
          - { type: bce, head: tags, pos_weight: 2.0 }
          - { type: mse, head: score, weight: 0.5 }
        """;

    public const string Sequences = """
        model: OpsSequences
        modalities:
          words: { shape: [-1], kind: tokens, vocab: 20 }
          audio: { shape: [-1, 6] }
          style: { shape: [3] }
        encoders:
          words_e: { op: embedding, input: words, dim: 6 }
          audio_p: { op: projection, input: audio, out: 6 }
        fusion:
          aligned: { op: concat, inputs: [words_e, audio_p] }
          styled:  { op: film, inputs: [aligned, style] }
          pooled:  { op: pool, input: styled, mode: max }
          last:    { op: pool, input: audio_p, mode: last }
          drop:    { op: modality_dropout, inputs: [pooled, last], p: 0.3 }
          auto:    { op: autofusion, inputs: [drop.pooled, drop.last], latent: 4 }
          vote:    { op: late, inputs: [auto, last], out: 3, combine: vote }
          side:    { op: linear, input: pooled, out: 4 }
        heads:
          klass: { type: classifier, input: vote, classes: 3 }
          pair:  { type: classifier, input: auto, classes: 2 }
          za:    { type: embedding, input: auto, dim: 4 }
          zb:    { type: embedding, input: side, dim: 4 }
        losses:
          - { type: cross_entropy, head: klass }
          - { type: bce, head: pair }
          - { type: contrastive, between: [za, zb], scale: learnable, temperature: 0.1 }
          - { type: contrastive, between: [auto, side] }
          - { type: cca, between: [auto, side], r: 0.01 }
          - { type: cmd, between: [za, zb], moments: 3 }
          - { type: sinkhorn, between: [aligned, styled], epsilon: 0.5, iterations: 10 }
          - { type: reconstruction, node: auto, weight: 0.3 }
        """;

    public const string Encoders = """
        model: OpsEncoders
        modalities:
          words: { shape: [-1], kind: tokens, vocab: 30 }
          audio: { shape: [-1, 6] }
          frames: { shape: [12, 5] }
          image: { shape: [3, 9, 9] }
        encoders:
          words_e:  { op: embedding, input: words, dim: 8 }
          words_t:  { op: transformer, input: words_e, heads: 2, ff: 16, dropout: 0.1, positional: sinusoidal, norm_first: true, activation: gelu }
          words_g:  { op: gru, input: words_t, hidden: 5, layers: 2, bidirectional: true, dropout: 0.1 }
          audio_c:  { op: conv1d, input: audio, channels: 4, kernel: 3, stride: 2, padding: 1, activation: tanh }
          audio_l:  { op: lstm, input: audio_c, hidden: 3, bidirectional: true, return: all }
          audio_p:  { op: pool, input: audio_l, mode: mean }
          frames_t: { op: transformer, input: frames, heads: 1, ff: 8, layers: 2 }
          frames_l: { op: lstm, input: frames_t, hidden: 4, layers: 2 }
          image_c:  { op: conv2d, input: image, channels: 4, kernel: 3, stride: 2, padding: 1 }
          image_p:  { op: pool, input: image_c, mode: max }
        fusion:
          joint: { op: concat, inputs: [words_g, audio_p, frames_l, image_p] }
        heads:
          y: { type: regressor, input: joint, outputs: 2 }
        losses:
          - { type: mse, head: y }
        """;

    public const string Names = """
        model: Names
        modalities:
          batch: { shape: [4] }
          class: { shape: [3] }
        encoders:
          output: { op: linear, input: batch, out: 3 }
          Train:  { op: identity, input: class }
        fusion:
          generator: { op: concat, inputs: [output, Train] }
        heads:
          Forward: { type: regressor, input: generator }
        losses:
          - { type: mse, head: Forward }
        """;

    public static IEnumerable<object[]> All() =>
    [
        ["vectors", Vectors],
        ["sequences", Sequences],
        ["encoders", Encoders],
        ["names", Names],
    ];
}
