namespace YamlModel;

/// <summary>What a training run measured: the mean training loss of every epoch and the test-split metrics.</summary>
public sealed record TrainingReport(IReadOnlyList<double> TrainLoss, IReadOnlyDictionary<string, double> Test);
