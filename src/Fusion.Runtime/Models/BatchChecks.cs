using Fusion.Runtime.Compute;

namespace Fusion.Runtime.Models;

/// <summary>
/// The input checks of generated models: every modality tensor is <c>[B, ...per-sample shape]</c>
/// (an open length, -1, matches any size) and lengths are <c>[B]</c> within the step count.
/// Failures throw <see cref="BatchShapeException"/> naming the property, the modality, the
/// expected and the actual shapes.
/// </summary>
public static class BatchChecks
{
    public static void Modality(Tensor? value, string property, string modality, int[] sampleShape, int batchSize) =>
        Check(value?.Shape.ToArray(), property, modality, sampleShape, batchSize);

    public static void Modality(LongTensor? value, string property, string modality, int[] sampleShape, int batchSize) =>
        Check(value?.Shape.ToArray(), property, modality, sampleShape, batchSize);

    /// <summary>
    /// Lengths <c>[B]</c> with every value in <c>[0, steps]</c>, <paramref name="steps"/> the first
    /// sample axis of the modality tensor (null when the batch leaves the modality out).
    /// </summary>
    public static void Lengths(LongTensor? lengths, string property, string modality, int? steps, int batchSize)
    {
        if (lengths is null) return;
        if (steps is not int n)
            throw new BatchShapeException(modality, $"batch.{property} is set but the batch has no modality '{modality}'");
        if (lengths.Rank != 1 || lengths.Size(0) != batchSize)
            throw new BatchShapeException(modality, $"batch.{property} has shape {Layout.Format(lengths.Shape)} but the lengths of modality '{modality}' are [{batchSize}] (one per sample)");
        var span = lengths.AsSpan();
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] < 0 || span[i] > n)
                throw new BatchShapeException(modality, $"batch.{property}[{i}] is {span[i]} but modality '{modality}' has {n} steps");
        }
    }

    private static void Check(int[]? shape, string property, string modality, int[] sampleShape, int batchSize)
    {
        if (shape is null) return;
        bool ok = shape.Length == sampleShape.Length + 1 && shape[0] == batchSize;
        for (int i = 0; ok && i < sampleShape.Length; i++) ok = sampleShape[i] == -1 || sampleShape[i] == shape[i + 1];
        if (!ok)
        {
            string expected = "[" + string.Join(", ", sampleShape.Select(d => d == -1 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
            throw new BatchShapeException(modality, $"batch.{property} has shape {Layout.Format(shape)} but modality '{modality}' is {expected} per sample (batch of {batchSize})");
        }
    }
}
