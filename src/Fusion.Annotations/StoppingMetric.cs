namespace Fusion.Annotations;

/// <summary>The <c>early_stopping.metric</c>.</summary>
public enum StoppingMetric
{
    /// <summary><c>val_loss</c></summary>
    ValLoss,
    /// <summary><c>val_accuracy</c></summary>
    ValAccuracy,
    /// <summary><c>val_mae</c></summary>
    ValMae,
}
