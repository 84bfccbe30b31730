using Fusion.Runtime.Data;
using Fusion.Runtime.Losses;
using Fusion.Runtime.Models;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Tests;

/// <summary>
/// A small hand-written <see cref="FusionModel"/> for the trainer tests: two vector modalities
/// concatenated into an MLP encoder ("fuse", group fusion) and a classifier head ("label_head",
/// group heads) trained with cross entropy on the target "label" (3 classes) of the synthetic generator.
/// </summary>
internal sealed class TrainingTestModel : FusionModel
{
    private readonly Mlp fuse;
    private readonly Linear head;
    private readonly ModelDescriptor descriptor;

    public TrainingTestModel(RandomSource generator, TrainingSettings training)
    {
        fuse = RegisterModule("fuse", new Mlp(8, [32], 16, generator));
        head = RegisterModule("label_head", new Linear(16, 3, generator));
        descriptor = new ModelDescriptor(
            "TrainingTest",
            [new ModalityDescriptor("a", [4], ModalityKind.Vector), new ModalityDescriptor("b", [4], ModalityKind.Vector)],
            [new TargetDescriptor("label", TargetKind.Classification, 3)],
            [new HeadDescriptor("label_head", HeadKind.Classifier, 3, "label")],
            [new ParameterGroupDescriptor("fuse.", "fusion"), new ParameterGroupDescriptor("label_head.", "heads")],
            training,
            new SyntheticDataSettings(512, 4, 0.1, 0, [0.7, 0.15, 0.15]));
    }

    public override ModelDescriptor Descriptor => descriptor;

    public static TrainingSettings Settings(int epochs = 8, EarlyStoppingSettings? stopping = null, ScheduleSettings? schedule = null) =>
        new(
            new OptimizerSettings(OptimizerKind.Adam, 1e-2, 0, 0.9, 0.999, 0, false),
            [new LearningRateSetting("heads", 5e-3)],
            schedule ?? new ScheduleSettings(ScheduleKind.None),
            epochs,
            32,
            7,
            stopping,
            1.0);

    public static Dataset Data(int samples = 512) =>
        SyntheticData.Generate(
            [new ModalityDescriptor("a", [4], ModalityKind.Vector), new ModalityDescriptor("b", [4], ModalityKind.Vector)],
            [new TargetDescriptor("label", TargetKind.Classification, 3)],
            new SyntheticOptions { Samples = samples, Latent = 4, Seed = 3 });

    public override FusionOutputs ForwardColumns(DataBatch batch)
    {
        var joint = Tensor.Concat([batch.Float("a"), batch.Float("b")], 1);
        var fused = fuse.Forward(joint).Relu();
        var logits = head.Forward(fused);
        return new FusionOutputs(
            new Dictionary<string, Tensor> { ["label_head"] = logits },
            new Dictionary<string, Tensor> { ["fuse"] = fused });
    }

    public override LossBreakdown LossColumns(FusionOutputs outputs, DataBatch batch) =>
        new([
            ("cross_entropy", Loss.CrossEntropy(outputs.Heads["label_head"], batch.Long("label")), 1.0),
            ("l2", outputs.Representations["fuse"].Square().Mean(), 0.01),
        ]);
}
