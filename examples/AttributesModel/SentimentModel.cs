using Fusion.Annotations;

namespace AttributesModel;

/// <summary>
/// Three modalities, one MLP encoder each, a gated multimodal unit over the three encodings and a
/// three-class classifier. The generator writes the rest of this class: Batch, Output, the modules,
/// Forward, Loss, Spec and Descriptor.
/// </summary>
[FusionModel]
[Modality("text", 32)]
[Modality("audio", 16)]
[Modality("vision", 24)]
[Encoder("text_h", Op.Mlp, Input = "text", Hidden = [32], Out = 16, Dropout = 0.1)]
[Encoder("audio_h", Op.Mlp, Input = "audio", Hidden = [16], Out = 16)]
[Encoder("vision_h", Op.Mlp, Input = "vision", Hidden = [16], Out = 16, Activation = Activation.Gelu)]
[FusionNode("gated", Op.Gmu, Inputs = ["text_h", "audio_h", "vision_h"], Out = 32)]
[Head("sentiment", HeadType.Classifier, Input = "gated", Hidden = [32], Classes = 3)]
[Loss(LossType.CrossEntropy, Head = "sentiment", LabelSmoothing = 0.05)]
[Training(Optimizer = OptimizerType.AdamW, Lr = 3e-3, WeightDecay = 1e-4, Epochs = 15, BatchSize = 32, Seed = 7)]
[Data(DataSource.Synthetic, Samples = 4000, Latent = 6, Noise = 0.1, Seed = 7)]
public partial class SentimentModel
{
}
