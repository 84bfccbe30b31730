using System.Globalization;
using Fusion.Runtime.Models;
using Fusion.Runtime.Optim;

namespace Fusion.Runtime.Training;

/// <summary>
/// The spec's learning-rate schedule driven by the trainer: <c>step</c> and <c>cosine</c> advance
/// once per epoch, <c>warmup</c> once per optimiser step (its <c>steps</c> are optimiser steps),
/// <c>plateau</c> once per epoch on the validation loss (the training loss without validation data).
/// </summary>
internal sealed class Schedule
{
    private readonly LrScheduler? perEpoch;
    private readonly LrScheduler? perStep;
    private readonly ReduceLROnPlateau? plateau;

    public Schedule(Optimizer optimizer, ScheduleSettings settings, int epochs)
    {
        switch (settings.Kind)
        {
            case ScheduleKind.None:
                break;
            case ScheduleKind.Step:
                perEpoch = new StepLR(optimizer, settings.StepSize ?? throw new TrainingException("schedule 'step' needs step_size"), settings.Gamma ?? 0.1);
                break;
            case ScheduleKind.Cosine:
                perEpoch = new CosineAnnealing(optimizer, settings.TMax ?? epochs);
                break;
            case ScheduleKind.Warmup:
                perStep = new LinearWarmup(optimizer, settings.Steps ?? throw new TrainingException("schedule 'warmup' needs steps"));
                break;
            case ScheduleKind.Plateau:
                plateau = new ReduceLROnPlateau(optimizer, factor: settings.Factor ?? 0.1, patience: settings.Patience ?? 10);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "Unknown schedule.");
        }
    }

    public void AfterStep() => perStep?.Step();

    /// <summary>The schedule's position, to save for a resume: epoch and step counts, and the plateau's best, bad epochs and cooldown.</summary>
    public IReadOnlyDictionary<string, string> State()
    {
        var state = new Dictionary<string, string>();
        if (perEpoch is not null) state["schedule_epoch"] = Text(perEpoch.Epoch);
        if (perStep is not null) state["schedule_step"] = Text(perStep.Epoch);
        if (plateau is not null)
        {
            state["plateau_best"] = plateau.Best.ToString("R", CultureInfo.InvariantCulture);
            state["plateau_bad_epochs"] = Text(plateau.BadEpochs);
            state["plateau_cooldown"] = Text(plateau.CooldownLeft);
        }

        return state;
    }

    /// <summary>Continues from what <see cref="State"/> saved (the learning rates themselves come back with the optimiser's state).</summary>
    public void Resume(IReadOnlyDictionary<string, string> state)
    {
        if (perEpoch is not null) perEpoch.Resume(Int(state, "schedule_epoch"));
        if (perStep is not null) perStep.Resume(Int(state, "schedule_step"));
        if (plateau is not null)
            plateau.Resume(double.Parse(Get(state, "plateau_best"), CultureInfo.InvariantCulture), Int(state, "plateau_bad_epochs"), Int(state, "plateau_cooldown"));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Int(IReadOnlyDictionary<string, string> state, string key) => int.Parse(Get(state, key), CultureInfo.InvariantCulture);

    private static string Get(IReadOnlyDictionary<string, string> state, string key) =>
        state.TryGetValue(key, out var value) ? value : throw new TrainingException($"the training state has no '{key}' (was it written with another schedule?)");

    public void AfterEpoch(double loss)
    {
        perEpoch?.Step();
        plateau?.Step(loss);
    }
}
