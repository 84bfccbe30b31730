using Fusion.Runtime.Data;
using Fusion.Runtime.Losses;
using Fusion.Runtime.Models;
using Fusion.Runtime.Nn;
using Fusion.Runtime.Operators;

namespace Fusion.Runtime.Tests;

/// <summary>
/// A hand-written GAN-Fusion model for the trainer tests, wired as the emitter wires one: three
/// vector modalities, each through a Linear encoder to L = 4, a <see cref="GanFusion"/> registered
/// as "gan" (its side values as the representations <c>gan:generated</c>, <c>gan:real</c>,
/// <c>gan:reconstruction_errors</c>), a regressor head "y_head" with MSE and the adversarial term.
/// <see cref="Stage"/>, when set, is called with the adversary step about to run (0, 1) and with
/// 2 when the model's own loss is computed, so a test can look at the parameters between the steps.
/// </summary>
internal sealed class GanFusionTestModel : FusionModel
{
    private static readonly ModalityDescriptor[] Modalities =
        [new("a", [4], ModalityKind.Vector), new("b", [4], ModalityKind.Vector), new("c", [4], ModalityKind.Vector)];

    private static readonly TargetDescriptor[] Targets = [new("y", TargetKind.Regression, 1)];

    private readonly ModuleDict<Linear> encoders;
    private readonly GanFusion gan;
    private readonly Linear head;
    private readonly ModelDescriptor descriptor;
    private readonly AdversarialScheme scheme;

    public GanFusionTestModel(RandomSource generator, TrainingSettings training, float noiseStd = 0.01f)
    {
        encoders = RegisterModule("encoders", new ModuleDict<Linear>());
        foreach (var m in Modalities) encoders.Add(m.Name, new Linear(4, 4, generator));
        gan = RegisterModule("gan", new GanFusion([new("a", 4), new("b", 4), new("c", 4)], 4, generator, noiseStd));
        head = RegisterModule("y_head", new Linear(4, 1, generator));
        descriptor = new ModelDescriptor(
            "GanFusionTest",
            Modalities,
            Targets,
            [new HeadDescriptor("y_head", HeadKind.Regressor, 1, "y")],
            [new ParameterGroupDescriptor("encoders.", "encoders"), new ParameterGroupDescriptor("gan.", "fusion"), new ParameterGroupDescriptor("y_head.", "heads")],
            training,
            new SyntheticDataSettings(256, 4, 0.1, 0, [0.75, 0.25, 0]));
        scheme = new AdversarialScheme([("gan", new Staged(gan, this))]);
    }

    public override ModelDescriptor Descriptor => descriptor;

    public override AdversarialScheme? Adversarial => scheme;

    /// <summary>Called with 0 and 1 before each adversary step, 2 before the model's own loss.</summary>
    public Action<int>? Stage { get; set; }

    public static TrainingSettings Settings(int epochs = 1) =>
        new(new OptimizerSettings(OptimizerKind.Adam, 1e-2, 0, 0.9, 0.999, 0, false), [], new ScheduleSettings(ScheduleKind.None), epochs, 32, 5, null, null);

    public static Dataset Data(int samples = 192) =>
        SyntheticData.Generate(Modalities, Targets, new SyntheticOptions { Samples = samples, Latent = 4, Seed = 9 });

    public override FusionOutputs ForwardColumns(DataBatch batch)
    {
        var encoded = Modalities.Select((m, i) => encoders[i].Forward(batch.Float(m.Name))).ToList();
        var fused = gan.Forward(encoded);
        return new FusionOutputs(
            new Dictionary<string, Tensor> { ["y_head"] = head.Forward(fused.Fused) },
            new Dictionary<string, Tensor>
            {
                ["gan"] = fused.Fused,
                ["gan" + GanFusion.GeneratedKey] = fused.Generated,
                ["gan" + GanFusion.RealKey] = fused.Real,
                ["gan" + GanFusion.ReconstructionErrorsKey] = fused.ReconstructionErrors,
            });
    }

    public override LossBreakdown LossColumns(FusionOutputs outputs, DataBatch batch)
    {
        Stage?.Invoke(2);
        return new([
            ("mse", Loss.Mse(outputs.Heads["y_head"], batch.Float("y")), 1.0),
            ("gan_loss", gan.GeneratorLoss(outputs.Representations["gan" + GanFusion.GeneratedKey]), 0.5),
        ]);
    }

    /// <summary>The GAN-Fusion operator, reporting each adversary step to <see cref="Stage"/> before it runs.</summary>
    private sealed class Staged(GanFusion inner, GanFusionTestModel model) : IAdversarialOperator
    {
        public int AdversaryStepCount => inner.AdversaryStepCount;

        public bool IsAdversaryParameter(string relativeKey) => inner.IsAdversaryParameter(relativeKey);

        public IReadOnlyList<(string Name, Tensor Value)> AdversaryStep(int step, FusionOutputs outputs, string key)
        {
            model.Stage?.Invoke(step);
            return inner.AdversaryStep(step, outputs, key);
        }
    }
}
