namespace Fusion.Runtime.Models;

/// <summary>
/// A module of a model that brings its own adversary (GAN-Fusion's discriminators): parameters
/// that only the adversary's steps train, with a second optimiser, and the losses of those
/// steps. <see cref="FusionModel.Adversarial"/> finds such modules among the model's modules; the
/// trainer runs their steps, in order, on every batch after the forward pass and before the
/// model's own step (docs/codegen.md, section "Adversarial training").
/// </summary>
public interface IAdversarialOperator
{
    /// <summary>How many adversary steps run per batch (each with its own backward and optimiser step).</summary>
    int AdversaryStepCount { get; }

    /// <summary>
    /// Whether the parameter at <paramref name="relativeKey"/> (its state-dict key under this module)
    /// belongs to the adversary side: trained by the adversary's optimiser only, never by the model's.
    /// </summary>
    bool IsAdversaryParameter(string relativeKey);

    /// <summary>
    /// The unweighted loss terms of adversary step <paramref name="step"/> (0-based) for one batch,
    /// read from the model's outputs of that batch; this module's own values are the
    /// representations keyed <c>&lt;key&gt;:&lt;name&gt;</c>, <paramref name="key"/> being the key the
    /// module is registered under. Empty when the outputs do not carry them (no loss of the spec
    /// asked for them): then the step is skipped.
    /// </summary>
    IReadOnlyList<(string Name, Tensor Value)> AdversaryStep(int step, FusionOutputs outputs, string key);
}
