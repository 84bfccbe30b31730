namespace Fusion.Runtime.Training;

/// <summary>
/// Training cannot go on or cannot start: a loss that is not finite, an early-stopping metric the
/// model has no head for, an empty training set. The message says which and where (epoch, batch).
/// </summary>
public sealed class TrainingException : Exception
{
    public TrainingException(string message)
        : base(message)
    {
    }
}
