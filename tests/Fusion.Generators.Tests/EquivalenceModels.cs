namespace Fusion.Generators.Tests;

/// <summary>Models declared twice, with attributes and in YAML, the same way.</summary>
internal static class EquivalenceModels
{
    /// <summary>examples/AttributesModel/SentimentModel.cs in YAML.</summary>
    public const string SentimentYaml = """
        model: SentimentModel
        namespace: AttributesModel
        modalities:
          text: { shape: [32] }
          audio: { shape: [16] }
          vision: { shape: [24] }
        encoders:
          text_h: { op: mlp, input: text, hidden: [32], out: 16, dropout: 0.1 }
          audio_h: { op: mlp, input: audio, hidden: [16], out: 16 }
          vision_h: { op: mlp, input: vision, hidden: [16], out: 16, activation: gelu }
        fusion:
          gated: { op: gmu, inputs: [text_h, audio_h, vision_h], out: 32 }
        heads:
          sentiment: { type: classifier, input: gated, hidden: [32], classes: 3 }
        losses:
          - { type: cross_entropy, head: sentiment, label_smoothing: 0.05 }
        training:
          optimizer: { type: adamw, lr: 3.0e-3, weight_decay: 1.0e-4 }
          epochs: 15
          batch_size: 32
          seed: 7
        data: { type: synthetic, samples: 4000, latent: 6, noise: 0.1, seed: 7 }
        """;

    /// <summary>Every op attribute kind, the context, every head type, loss options, training and synthetic data.</summary>
    public const string RichAttributes = """
        using Fusion.Annotations;

        namespace Tests.Models;

        [FusionModel]
        [Modality("words", 10, Kind = ModalityKind.Tokens, Vocab = 50)]
        [Modality("audio", 20, 6)]
        [Modality("image", 3, 8, 8)]
        [Modality("extra", 5, Optional = true)]
        [Encoder("words_e", Op.Embedding, Input = "words", Dim = 8)]
        [Encoder("words_t", Op.Transformer, Input = "words_e", Layers = 1, Heads = 2, Ff = 16, Dropout = 0.0, Activation = Activation.Gelu, NormFirst = true, Positional = Positional.Sinusoidal)]
        [Encoder("words_p", Op.Pool, Input = "words_t", Mode = Pool.Max)]
        [Encoder("audio_c", Op.Conv1d, Input = "audio", Channels = 4, Kernel = 3, Stride = 1, Padding = 1, Activation = Activation.Tanh)]
        [Encoder("audio_r", Op.Gru, Input = "audio_c", HiddenSize = 6, Layers = 2, Bidirectional = true, Dropout = 0.1, Return = RecurrentReturn.Last)]
        [Encoder("image_c", "conv2d", Input = "image", Channels = 4, Kernel = 3, Stride = 2, Padding = 1)]
        [Encoder("image_p", Op.Pool, Input = "image_c")]
        [Encoder("image_h", Op.Linear, Input = "image_p", Out = 12, Bias = false)]
        [Encoder("extra_h", Op.Mlp, Input = "extra", Hidden = [8, 8], Out = 12, Activation = Activation.LeakyRelu, Dropout = 0.2, Norm = Norm.Layer, FinalActivation = true, Group = "side")]
        [Context(Modalities = ["audio"], Width = 4, Std = 0.2, Mlp = [8], Out = 8)]
        [FusionNode("drop", Op.ModalityDropout, Inputs = ["words_p", "audio_r", "image_h"], P = 0.3)]
        [FusionNode("graph", Op.GraphGcn, Inputs = ["drop.words_p", "drop.audio_r", "drop.image_h"], Width = 12, Layers = 2, Edges = ["words_p-audio_r", "audio_r-image_h"], Readout = Readout.Concat)]
        [FusionNode("low", Op.LowRank, Inputs = ["image_h", "extra_h"], Rank = 4, Out = 12)]
        [FusionNode("sketch", Op.Mcb, Inputs = ["image_h", "extra_h"], Out = 64, SignedSqrt = true, L2Normalize = true, Seed = 3)]
        [FusionNode("mix", Op.Weighted, Inputs = ["low", "image_h"], Normalize = Normalize.None)]
        [FusionNode("fused", Op.Concat, Inputs = ["graph", "mix", "sketch"])]
        [Head("label", HeadType.Classifier, Input = "fused", Hidden = [16], Dropout = 0.1, Target = "y", Classes = 3)]
        [Head("value", HeadType.Regressor, Input = "fused", Outputs = 2)]
        [Head("left", HeadType.Embedding, Input = "low", Dim = 8)]
        [Head("right", HeadType.Embedding, Input = "mix", Dim = 8)]
        [Loss(LossType.CrossEntropy, Head = "label", LabelSmoothing = 0.1, Weight = 0.5, Name = "ce")]
        [Loss(LossType.Mse, Head = "value")]
        [Loss(LossType.Contrastive, Between = ["left", "right"], Scale = ContrastiveScale.Learnable, Temperature = 0.1, MaxScale = 50)]
        [Loss(LossType.Cca, Between = ["low", "mix"], R = 1e-4, TopK = 4)]
        [Training(Optimizer = OptimizerType.AdamW, Lr = 1e-3, WeightDecay = 0.02, Betas = [0.8, 0.99], Schedule = ScheduleType.Step, StepSize = 5, Gamma = 0.5,
            Epochs = 7, BatchSize = 16, Seed = 2, EarlyStoppingPatience = 3, EarlyStoppingMetric = StoppingMetric.ValAccuracy, ClipGradNorm = 2.0)]
        [LearningRate("encoders", 1e-4)]
        [LearningRate("side", 5e-4)]
        [Data(DataSource.Synthetic, Samples = 500, Latent = 4, Noise = 0.2, Seed = 9, Split = [0.7, 0.2, 0.1])]
        public partial class Rich
        {
        }
        """;

    public const string RichYaml = """
        model: Rich
        namespace: Tests.Models
        modalities:
          words: { shape: [10], kind: tokens, vocab: 50 }
          audio: { shape: [20, 6] }
          image: { shape: [3, 8, 8] }
          extra: { shape: [5], optional: true }
        encoders:
          words_e: { op: embedding, input: words, dim: 8 }
          words_t: { op: transformer, input: words_e, layers: 1, heads: 2, ff: 16, dropout: 0.0, activation: gelu, norm_first: true, positional: sinusoidal }
          words_p: { op: pool, input: words_t, mode: max }
          audio_c: { op: conv1d, input: audio, channels: 4, kernel: 3, stride: 1, padding: 1, activation: tanh }
          audio_r: { op: gru, input: audio_c, hidden: 6, layers: 2, bidirectional: true, dropout: 0.1, return: last }
          image_c: { op: conv2d, input: image, channels: 4, kernel: 3, stride: 2, padding: 1 }
          image_p: { op: pool, input: image_c }
          image_h: { op: linear, input: image_p, out: 12, bias: false }
          extra_h: { op: mlp, input: extra, hidden: [8, 8], out: 12, activation: leaky_relu, dropout: 0.2, norm: layer, final_activation: true, group: side }
        context: { modalities: [audio], width: 4, std: 0.2, mlp: [8], out: 8 }
        fusion:
          drop: { op: modality_dropout, inputs: [words_p, audio_r, image_h], p: 0.3 }
          graph: { op: graph_gcn, inputs: [drop.words_p, drop.audio_r, drop.image_h], width: 12, layers: 2, edges: [[words_p, audio_r], [audio_r, image_h]], readout: concat }
          low: { op: lowrank, inputs: [image_h, extra_h], rank: 4, out: 12 }
          sketch: { op: mcb, inputs: [image_h, extra_h], out: 64, signed_sqrt: true, l2_normalize: true, seed: 3 }
          mix: { op: weighted, inputs: [low, image_h], normalize: none }
          fused: { op: concat, inputs: [graph, mix, sketch] }
        heads:
          label: { type: classifier, input: fused, hidden: [16], dropout: 0.1, target: y, classes: 3 }
          value: { type: regressor, input: fused, outputs: 2 }
          left: { type: embedding, input: low, dim: 8 }
          right: { type: embedding, input: mix, dim: 8 }
        losses:
          - { type: cross_entropy, head: label, label_smoothing: 0.1, weight: 0.5, name: ce }
          - { type: mse, head: value }
          - { type: contrastive, between: [left, right], scale: learnable, temperature: 0.1, max_scale: 50 }
          - { type: cca, between: [low, mix], r: 1.0e-4, top_k: 4 }
        training:
          optimizer: { type: adamw, lr: 1.0e-3, weight_decay: 0.02, betas: [0.8, 0.99] }
          lr_groups: { encoders: 1.0e-4, side: 5.0e-4 }
          schedule: { type: step, step_size: 5, gamma: 0.5 }
          epochs: 7
          batch_size: 16
          seed: 2
          early_stopping: { patience: 3, metric: val_accuracy }
          clip_grad_norm: 2.0
        data: { type: synthetic, samples: 500, latent: 4, noise: 0.2, seed: 9, split: [0.7, 0.2, 0.1] }
        """;

    /// <summary>Attention and late fusion options, SGD with a plateau schedule, default early stopping, CSV columns.</summary>
    public const string SmallAttributes = """
        using Fusion.Annotations;

        namespace Tests.Models;

        [FusionModel(Namespace = "Tests.Other")]
        [Modality("a", 5)]
        [Modality("b", 4)]
        [FusionNode("joined", Op.Late, Inputs = ["a", "b"], Out = 3, Combine = Combine.Vote)]
        [FusionNode("att", Op.SelfAttention, Inputs = ["a", "b"], Width = 8, Heads = 2, Layers = 1, Ff = 16, Dropout = 0.0, Pool = Pool.Flatten)]
        [Head("y", HeadType.Classifier, Input = "joined", Classes = 3)]
        [Head("z", HeadType.Regressor, Input = "att")]
        [Loss(LossType.CrossEntropy, Head = "y")]
        [Loss(LossType.L1, Head = "z", Weight = 0.25)]
        [Training(Optimizer = OptimizerType.Sgd, Lr = 0.1, Momentum = 0.9, Nesterov = true, Schedule = ScheduleType.Plateau, SchedulePatience = 2, ScheduleFactor = 0.5, EarlyStopping = true)]
        [Data(DataSource.Csv, Path = "data.csv", Columns = ["a=a0:a4", "b=b0:b3", "y=label", "z=score"])]
        public partial class Small
        {
        }
        """;

    public const string SmallYaml = """
        model: Small
        namespace: Tests.Other
        modalities:
          a: { shape: [5] }
          b: { shape: [4] }
        fusion:
          joined: { op: late, inputs: [a, b], out: 3, combine: vote }
          att: { op: self_attention, inputs: [a, b], width: 8, heads: 2, layers: 1, ff: 16, dropout: 0.0, pool: flatten }
        heads:
          y: { type: classifier, input: joined, classes: 3 }
          z: { type: regressor, input: att }
        losses:
          - { type: cross_entropy, head: y }
          - { type: l1, head: z, weight: 0.25 }
        training:
          optimizer: { type: sgd, lr: 0.1, momentum: 0.9, nesterov: true }
          schedule: { type: plateau, patience: 2, factor: 0.5 }
          early_stopping: {}
        data:
          type: csv
          path: data.csv
          columns: { a: "a0:a4", b: "b0:b3", y: label, z: score }
        """;
}
