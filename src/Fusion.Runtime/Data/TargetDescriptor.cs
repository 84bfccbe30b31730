namespace Fusion.Runtime.Data;

/// <summary>What a head predicts, as far as the data is concerned.</summary>
public enum TargetKind
{
    /// <summary>An int64 class index per sample (shape <c>[]</c>), in <c>[0, Width)</c>.</summary>
    Classification,
    /// <summary><c>[Width]</c> floats per sample.</summary>
    Regression,
    /// <summary><c>[Width]</c> floats per sample, each 0 or 1.</summary>
    Multilabel,
}

/// <summary>
/// One target column of a data source (the runtime-side view of a classifier, regressor or
/// multilabel head's target). <paramref name="Width"/> is the number of classes, outputs or labels.
/// Embedding heads have no target.
/// </summary>
public sealed record TargetDescriptor(string Name, TargetKind Kind, int Width)
{
    /// <summary>The per-sample shape: <c>[]</c> for a class index, else <c>[Width]</c>.</summary>
    public int[] SampleShape => Kind == TargetKind.Classification ? [] : [Width];

    public DataType DataType => Kind == TargetKind.Classification ? DataType.Int64 : DataType.Float32;

    public void Validate()
    {
        int least = Kind == TargetKind.Classification ? 2 : 1;
        if (Width < least)
            throw new ArgumentException($"Target '{Name}': a {Kind} target needs a width of at least {least}; width is {Width}.");
    }
}
