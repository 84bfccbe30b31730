namespace Fusion.Runtime.Training;

/// <summary>
/// What a run may override of the spec's training settings, and where it writes: with
/// <see cref="OutputDirectory"/> set, the trainer appends <c>metrics.jsonl</c> there each epoch
/// and writes the best model to <c>model.safetensors</c> (metadata: <see cref="CheckpointMetadata"/>,
/// plus <c>epoch</c> and the selection metric).
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Epochs instead of the spec's.</summary>
    public int? Epochs { get; init; }

    /// <summary>The seed of the shuffling source instead of the spec's (the model is initialised by its creator).</summary>
    public int? Seed { get; init; }

    public string? OutputDirectory { get; init; }

    /// <summary>Extra checkpoint metadata, such as <see cref="Nn.ModuleCheckpoint.SpecHashKey"/>.</summary>
    public IReadOnlyDictionary<string, string>? CheckpointMetadata { get; init; }

    /// <summary>Called after every optimiser step.</summary>
    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>Called after every epoch with its metrics.</summary>
    public Action<EpochMetrics>? EpochEnd { get; init; }

    public const string MetricsFile = "metrics.jsonl";

    public const string CheckpointFile = "model.safetensors";
}
