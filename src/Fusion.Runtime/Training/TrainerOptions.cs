namespace Fusion.Runtime.Training;

/// <summary>
/// What a run may override of the spec's training settings, and where it writes: with
/// <see cref="OutputDirectory"/> set, the trainer appends <c>metrics.jsonl</c> there each epoch
/// and writes the best model to <c>model.safetensors</c> (metadata: <see cref="CheckpointMetadata"/>,
/// plus <c>epoch</c> and the selection metric), and after each epoch the state to resume from
/// to <c>last.safetensors</c>.
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

    /// <summary>
    /// A <c>last.safetensors</c> written by an earlier run of the same model: training continues
    /// after its epoch with its weights, optimiser state, schedule, shuffling and early-stopping
    /// state, up to <see cref="Epochs"/> in all. Dropout draws restart from the model's own seed, so
    /// only a model without dropout continues bit for bit as if never interrupted.
    /// </summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Called after every optimiser step.</summary>
    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>Called after every epoch with its metrics.</summary>
    public Action<EpochMetrics>? EpochEnd { get; init; }

    public const string MetricsFile = "metrics.jsonl";

    public const string CheckpointFile = "model.safetensors";

    /// <summary>The file of the state to resume from, rewritten after every epoch.</summary>
    public const string StateFile = TrainingState.FileName;
}
