using Fusion.Runtime;
using Fusion.Runtime.Data;
using Fusion.Runtime.Models;

namespace Fusion.Cli.Running;

/// <summary>
/// The data of a run, checked against the model's descriptors: the spec's <c>data:</c> section
/// (paths relative to the spec; synthetic by default) or a <c>--data</c> path (an <c>.npz</c>
/// file, a folder of <c>.npy</c> files, or a <c>.csv</c> read with the spec's CSV column mapping).
/// Bad files throw <see cref="DataException"/> naming the file, the modality and the shapes.
/// </summary>
internal static class ModelData
{
    /// <summary>The default split when the data section gives none.</summary>
    private static readonly double[] DefaultSplit = [0.8, 0.1, 0.1];

    /// <summary>
    /// Loads the run's data. <paramref name="samples"/> overrides a synthetic section's sample
    /// count; <paramref name="withTargets"/> false reads only the modalities (prediction).
    /// </summary>
    public static Dataset Load(ModelDescriptor descriptor, string specPath, string? dataPath, int? samples, bool withTargets = true)
    {
        var schema = withTargets ? descriptor.Schema : new DataSchema(descriptor.Modalities, []);
        if (dataPath is not null) return LoadFile(descriptor, schema, dataPath);
        string folder = Path.GetDirectoryName(Path.GetFullPath(specPath)) ?? ".";
        return descriptor.Data switch
        {
            SyntheticDataSettings s => SyntheticData.Generate(descriptor.Schema, s.ToOptions(samples)),
            NpzDataSettings n => NpzData.Read(Path.Combine(folder, n.Path), schema),
            NpyDataSettings n => NpyFolder.Read(Path.Combine(folder, n.Path), schema),
            CsvDataSettings c => CsvData.Read(Path.Combine(folder, c.Path), schema, Mapping(c)),
            _ => throw new InvalidOperationException($"unknown data settings {descriptor.Data.GetType().Name}"),
        };
    }

    /// <summary>
    /// Train, validation and test parts by the data section's split (default [0.8, 0.1, 0.1]),
    /// shuffled by the spec's training seed, so <c>train</c> and <c>eval</c> agree on the test part.
    /// </summary>
    public static IReadOnlyList<Dataset> Split(ModelDescriptor descriptor, Dataset data)
    {
        var split = descriptor.Data switch
        {
            SyntheticDataSettings s => s.Split,
            NpzDataSettings n => n.Split,
            _ => DefaultSplit,
        };
        return data.Split(split, new RandomSource(descriptor.Training.Seed));
    }

    private static Dataset LoadFile(ModelDescriptor descriptor, DataSchema schema, string path)
    {
        if (Directory.Exists(path)) return NpyFolder.Read(path, schema);
        if (!File.Exists(path)) throw new DataException(path, "no such file or folder.");
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".npz" => NpzData.Read(path, schema),
            ".csv" => descriptor.Data is CsvDataSettings csv
                ? CsvData.Read(path, schema, Mapping(csv))
                : throw new DataException(path, "a .csv file needs the spec's column mapping (data: { type: csv, columns: ... }), and this spec has none."),
            _ => throw new DataException(path, $"unknown data format '{extension}': use an .npz file, a folder of .npy files, or a .csv file."),
        };
    }

    private static Dictionary<string, string> Mapping(CsvDataSettings csv) =>
        csv.Columns.ToDictionary(c => c.Name, c => c.To is null ? c.From : c.From + ":" + c.To, StringComparer.Ordinal);
}
