using Fusion.Runtime.Data;

namespace Fusion.Runtime.Models;

/// <summary>
/// Conversions between a generated model's typed <c>Batch</c> and the data layer's columns:
/// reading an optional column of a <see cref="DataBatch"/>, and turning batch tensors back into
/// <see cref="DataColumn"/>s (copies) for a <see cref="Dataset"/>.
/// </summary>
public static class BatchColumns
{
    /// <summary>The float32 column <paramref name="name"/>, or null when the batch does not carry it.</summary>
    public static Tensor? OptionalFloat(DataBatch batch, string name)
    {
        try
        {
            return batch.Float(name);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The int64 column <paramref name="name"/>, or null when the batch does not carry it.</summary>
    public static LongTensor? OptionalLong(DataBatch batch, string name)
    {
        try
        {
            return batch.Long(name);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    public static void AddFloat(List<DataColumn> columns, string name, Tensor? values, LongTensor? lengths = null)
    {
        if (values is null) return;
        columns.Add(DataColumn.FromFloats(name, values.ToArray(), values.Shape[1..].ToArray(), ToLengths(lengths)));
    }

    public static void AddLong(List<DataColumn> columns, string name, LongTensor? values, LongTensor? lengths = null)
    {
        if (values is null) return;
        columns.Add(DataColumn.FromLongs(name, values.ToArray(), values.Shape[1..].ToArray(), ToLengths(lengths)));
    }

    private static int[]? ToLengths(LongTensor? lengths) => lengths?.ToArray().Select(l => checked((int)l)).ToArray();
}
