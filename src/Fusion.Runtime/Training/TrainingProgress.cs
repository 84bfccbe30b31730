namespace Fusion.Runtime.Training;

/// <summary>One finished optimiser step: epoch (1-based), batch (1-based) of <paramref name="Batches"/>, and the step's total loss.</summary>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss);
