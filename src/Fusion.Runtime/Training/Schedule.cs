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

    public void AfterEpoch(double loss)
    {
        perEpoch?.Step();
        plateau?.Step(loss);
    }
}
