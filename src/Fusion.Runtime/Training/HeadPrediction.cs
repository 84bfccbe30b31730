namespace Fusion.Runtime.Training;

/// <summary>One head's outputs on a whole dataset: row-major values of shape <c>[N, ...]</c> (<c>[N, k]</c> for every head kind).</summary>
public sealed record HeadPrediction(string Head, float[] Values, int[] Shape);
