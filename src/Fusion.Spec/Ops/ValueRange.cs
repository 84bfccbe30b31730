using System.Globalization;

namespace Fusion.Spec.Ops;

/// <summary>The values a number may take (FUS009 otherwise).</summary>
internal enum ValueRange
{
    Any,
    Positive,
    NonNegative,

    /// <summary>[0, 1): dropout rates and probabilities.</summary>
    Probability,

    /// <summary>A number of stacked layers: 1 to <see cref="ValueRangeText.MaxLayers"/>.</summary>
    LayerCount,
}

internal static class ValueRangeText
{
    public const int MaxLayers = 256;

    public static bool Contains(this ValueRange range, double value) => range switch
    {
        ValueRange.Positive => value > 0,
        ValueRange.NonNegative => value >= 0,
        ValueRange.Probability => value >= 0 && value < 1,
        ValueRange.LayerCount => value >= 1 && value <= MaxLayers,
        _ => !double.IsNaN(value),
    };

    public static string Describe(this ValueRange range) => range switch
    {
        ValueRange.Positive => "positive",
        ValueRange.NonNegative => "zero or more",
        ValueRange.Probability => "in [0, 1)",
        ValueRange.LayerCount => $"a layer count from 1 to {MaxLayers}",
        _ => "a number",
    };

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
