namespace Fusion.Spec.Ir;

/// <summary>
/// A modality or target read from CSV: one column (<see cref="To"/> null) or the range
/// <c>prefix0:prefix299</c> (<see cref="From"/> and <see cref="To"/> set).
/// </summary>
public sealed record CsvColumn(string Name, string From, string? To);
