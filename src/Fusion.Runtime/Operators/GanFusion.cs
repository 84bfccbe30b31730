using Fusion.Runtime.Losses;
using Fusion.Runtime.Models;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Operators;

/// <summary>
/// GAN-Fusion (Sahu and Vechtomova; methods.md section 3), the spec's <c>ganfusion</c> op, for M
/// input vectors and latent width L. For every target input t:
/// the real sample <c>z_tr^t = AutoFusion_t([z_j for j != t]).Latent</c>, the generated one
/// <c>z_g^t = G_t(z_t + noise_std * eps)</c> (eps standard normal from the model's
/// <see cref="RandomSource"/>, drawn in training mode only: evaluation adds no noise) and a
/// discriminator <c>D_t</c> (<see cref="AdversarialNetwork"/>s: <c>G_t</c> is d_t -> 2L -> 2L -> L,
/// <c>D_t</c> is L -> 2L -> 2L -> 1). The fused output is
/// <c>ReLU(fuse2(tanh(fuse1([z_g^1; ...; z_g^M]))))</c> (M*L -> 3L/2 -> L).
/// <para>
/// The losses, BCE with logits averaged over the batch and summed over the targets t:
/// the model's adversarial term <see cref="GeneratorLoss"/> <c>J_adv = sum_t BCE(D_t(z_g^t), 1)</c>;
/// the adversary steps (<see cref="IAdversarialOperator"/>, run by the trainer with a second
/// optimiser): step 1 <see cref="RealLoss"/> <c>sum_t BCE(D_t(z_tr^t), 1)</c> plus
/// <see cref="ReconstructionLoss"/> <c>L_AF = sum_t MSE(z_hat^t, z^t)</c>; step 2
/// <see cref="FakeLoss"/> <c>sum_t BCE(D_t(z_g^t), 0)</c> with z_g detached. The adversary side is
/// the discriminators and the autofusions (the real samples): the autofusions read their inputs
/// detached and the discriminators read z_tr detached, so the real side learns only from L_AF and
/// the discriminators only from their own losses, and nothing of the adversary steps reaches the
/// encoders, generators or fuse layers.
/// </para>
/// State-dict keys (docs/spec-language.md): <c>autofusion.&lt;t&gt;.*</c>, <c>generator.&lt;t&gt;.*</c>,
/// <c>discriminator.&lt;t&gt;.*</c> (each for every input t in order), <c>fuse1.*</c>, <c>fuse2.*</c>.
/// </summary>
public sealed class GanFusion : Module, IAdversarialOperator
{
    /// <summary>The representation suffix of <see cref="GanFusionResult.Generated"/> in a model's outputs.</summary>
    public const string GeneratedKey = ":generated";

    /// <summary>The representation suffix of <see cref="GanFusionResult.Real"/>.</summary>
    public const string RealKey = ":real";

    /// <summary>The representation suffix of <see cref="GanFusionResult.ReconstructionErrors"/>.</summary>
    public const string ReconstructionErrorsKey = ":reconstruction_errors";

    private readonly InputWidth[] inputs;
    private readonly ModuleDict<AutoFusion> autofusion;
    private readonly ModuleDict<AdversarialNetwork> generators;
    private readonly ModuleDict<AdversarialNetwork> discriminators;
    private readonly Linear fuse1;
    private readonly Linear fuse2;
    private readonly RandomSource random;

    public GanFusion(IReadOnlyList<InputWidth> inputs, int latent, RandomSource generator, float noiseStd = 0.01f)
    {
        if (inputs.Count < 2) throw new ArgumentException("GAN-Fusion needs at least two inputs.", nameof(inputs));
        if (latent < 2 || latent % 2 != 0) throw new ArgumentOutOfRangeException(nameof(latent), latent, "GAN-Fusion needs an even latent width.");
        if (!(noiseStd >= 0f)) throw new ArgumentOutOfRangeException(nameof(noiseStd), noiseStd, "The noise scale must not be negative.");
        this.inputs = inputs.ToArray();
        Latent = latent;
        NoiseStd = noiseStd;
        random = generator;
        int total = inputs.Sum(i => i.Width);
        autofusion = RegisterModule("autofusion", new ModuleDict<AutoFusion>());
        foreach (var t in inputs) autofusion.Add(t.Name, new AutoFusion(total - t.Width, latent, generator));
        generators = RegisterModule("generator", new ModuleDict<AdversarialNetwork>());
        foreach (var t in inputs) generators.Add(t.Name, new AdversarialNetwork(t.Width, 2 * latent, latent, generator));
        discriminators = RegisterModule("discriminator", new ModuleDict<AdversarialNetwork>());
        foreach (var t in inputs) discriminators.Add(t.Name, new AdversarialNetwork(latent, 2 * latent, 1, generator));
        fuse1 = RegisterModule("fuse1", new Linear(inputs.Count * latent, 3 * latent / 2, generator));
        fuse2 = RegisterModule("fuse2", new Linear(3 * latent / 2, latent, generator));
    }

    public int Latent { get; }

    /// <summary>The standard deviation of the generators' input noise in training mode (0.01 in the method).</summary>
    public float NoiseStd { get; }

    public int AdversaryStepCount => 2;

    public AutoFusion AutoFusionFor(int target) => autofusion[target];

    public AdversarialNetwork GeneratorFor(int target) => generators[target];

    public AdversarialNetwork DiscriminatorFor(int target) => discriminators[target];

    public GanFusionResult Forward(IReadOnlyList<Tensor> xs)
    {
        int batch = OperatorChecks.Vectors(nameof(GanFusion), xs, inputs);
        int m = inputs.Length;
        var generated = new Tensor[m];
        var real = new Tensor[m];
        var errors = new Tensor[m];
        for (int t = 0; t < m; t++)
        {
            var others = new List<Tensor>(m - 1);
            for (int j = 0; j < m; j++)
            {
                if (j != t) others.Add(xs[j].Detach());
            }

            var fused = autofusion[t].Forward(others);
            real[t] = fused.Latent;
            errors[t] = (fused.Reconstruction - fused.Features).Square().Mean(1);
            var source = xs[t];
            if (IsTraining && NoiseStd > 0f) source = source + Tensor.Normal(random, 0f, NoiseStd, batch, inputs[t].Width);
            generated[t] = generators[t].Forward(source);
        }

        var all = Tensor.Concat(generated, -1);
        var output = fuse2.Forward(fuse1.Forward(all).Tanh()).Relu();
        return new GanFusionResult(output, all, Tensor.Concat(real, -1), Tensor.Stack(errors, 1));
    }

    /// <summary>The model's adversarial term: <c>sum_t BCE(D_t(z_g^t), 1)</c> (the generators try to fool the discriminators).</summary>
    public Tensor GeneratorLoss(Tensor generated) => Discriminate(generated, label: 1f, detach: false);

    /// <summary>Adversary step 1's discriminator term: <c>sum_t BCE(D_t(z_tr^t), 1)</c>, the real samples detached.</summary>
    public Tensor RealLoss(Tensor real) => Discriminate(real, label: 1f, detach: true);

    /// <summary>Adversary step 2: <c>sum_t BCE(D_t(z_g^t), 0)</c>, the generated samples detached.</summary>
    public Tensor FakeLoss(Tensor generated) => Discriminate(generated, label: 0f, detach: true);

    /// <summary><c>L_AF = sum_t MSE(z_hat^t, z^t)</c> from the per-sample errors <c>[B, M]</c> of <see cref="GanFusionResult.ReconstructionErrors"/>.</summary>
    public Tensor ReconstructionLoss(Tensor reconstructionErrors) => reconstructionErrors.Mean(0).Sum();

    public bool IsAdversaryParameter(string relativeKey) =>
        relativeKey.StartsWith("discriminator.", StringComparison.Ordinal) || relativeKey.StartsWith("autofusion.", StringComparison.Ordinal);

    public IReadOnlyList<(string Name, Tensor Value)> AdversaryStep(int step, FusionOutputs outputs, string key)
    {
        var r = outputs.Representations;
        switch (step)
        {
            case 0 when r.TryGetValue(key + RealKey, out var real) && r.TryGetValue(key + ReconstructionErrorsKey, out var errors):
                return [("d_real", RealLoss(real)), ("autofusion", ReconstructionLoss(errors))];
            case 1 when r.TryGetValue(key + GeneratedKey, out var generated):
                return [("d_fake", FakeLoss(generated))];
            case 0 or 1:
                return [];
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, "GAN-Fusion has two adversary steps.");
        }
    }

    /// <summary><c>sum_t BCE(D_t(z^t), label)</c> over the M blocks of width L of <paramref name="samples"/> <c>[B, M*L]</c>.</summary>
    private Tensor Discriminate(Tensor samples, float label, bool detach)
    {
        if (samples.Rank != 2 || samples.Size(1) != inputs.Length * Latent)
            throw new ArgumentException($"GAN-Fusion's discriminators read [B, {inputs.Length * Latent}]; got [{string.Join(", ", samples.Shape.ToArray())}].", nameof(samples));
        var x = detach ? samples.Detach() : samples;
        var parts = x.Split(Latent, 1);
        Tensor? total = null;
        for (int t = 0; t < parts.Length; t++)
        {
            var logits = discriminators[t].Forward(parts[t]);
            var loss = Loss.BceWithLogits(logits, Tensor.Full(label, logits.Shape));
            total = total is null ? loss : total + loss;
        }

        return total!;
    }
}

/// <summary>
/// GAN-Fusion's outputs: the fused vector <c>[B, L]</c>, the generated latents
/// <c>[z_g^1; ...; z_g^M]</c> and the real ones <c>[z_tr^1; ...; z_tr^M]</c> (<c>[B, M*L]</c> each), and
/// each autofusion's per-sample reconstruction error <c>mean_f (z_hat - z)^2</c> (<c>[B, M]</c>).
/// </summary>
public sealed record GanFusionResult(Tensor Fused, Tensor Generated, Tensor Real, Tensor ReconstructionErrors);
