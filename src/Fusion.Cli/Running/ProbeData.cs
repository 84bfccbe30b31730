using Fusion.Runtime.Data;
using Fusion.Runtime.Models;

namespace Fusion.Cli.Running;

/// <summary>
/// The data of a linear probe: the model's modalities plus one column of class labels, from
/// <list type="bullet">
/// <item>a classifier target of the spec (read like <c>train</c> reads it);</item>
/// <item>synthetic data: <see cref="SharedClassColumn"/>, the class of the shared latent
/// (<see cref="SyntheticOptions.SharedClassColumn"/>; every other column has the bytes
/// <c>train</c> saw);</item>
/// <item>an <c>.npz</c> file or a folder of <c>.npy</c> files (the spec's data or <c>--data</c>):
/// an integer array of that name with one label per sample, which the spec need not declare.</item>
/// </list>
/// Bad data throws <see cref="DataException"/> naming the file, the column and the shapes.
/// </summary>
internal static class ProbeData
{
    /// <summary>The label column synthetic data offers for any spec: the class of the shared latent.</summary>
    public const string SharedClassColumn = "shared_class";

    /// <summary>The label column of a file when the spec has no classifier target.</summary>
    public const string FileLabelColumn = "label";

    /// <summary>Classes of <see cref="SharedClassColumn"/> unless <c>--classes</c> says otherwise.</summary>
    public const int DefaultSharedClasses = 4;

    /// <summary>The most classes a label column may have when their number is read from the labels.</summary>
    private const int MaxClasses = 100_000;

    /// <summary>The spec's first classifier target; else <see cref="SharedClassColumn"/> for synthetic data, <see cref="FileLabelColumn"/> for files.</summary>
    public static string DefaultTarget(ModelDescriptor descriptor, string? dataPath) =>
        descriptor.Targets.FirstOrDefault(t => t.Kind == TargetKind.Classification)?.Name
        ?? (IsSynthetic(descriptor, dataPath) ? SharedClassColumn : FileLabelColumn);

    /// <summary>Every sample with the model's modalities and the label column <paramref name="target"/>, and its number of classes.</summary>
    public static (Dataset Data, int Classes) Load(ModelDescriptor descriptor, string specPath, string? dataPath, int? samples, string target, int? classes)
    {
        if (descriptor.Targets.FirstOrDefault(t => t.Name == target) is { } declared)
        {
            if (declared.Kind != TargetKind.Classification)
                throw new DataException(specPath, $"target '{target}' is a {declared.Kind.ToString().ToLowerInvariant()} target; the probe predicts class labels (a classifier target, or an integer label column of the data).");
            if (classes is int k && k != declared.Width)
                throw new DataException(specPath, $"target '{target}' has {declared.Width} classes in the spec, not {k} (--classes).");
            return (ModelData.Load(descriptor, specPath, dataPath, samples), declared.Width);
        }

        if (descriptor.Modalities.Any(m => m.Name == target || DataSchema.LengthsName(m.Name) == target))
            throw new DataException(specPath, $"'{target}' is modality data, not a label column.");

        if (IsSynthetic(descriptor, dataPath))
        {
            if (target != SharedClassColumn)
                throw new DataException("synthetic data", $"there is no label column '{target}'; the class labels are {string.Join(", ", Labels(descriptor))}.");
            int k = classes ?? DefaultSharedClasses;
            var options = ((SyntheticDataSettings)descriptor.Data).ToOptions(samples) with { SharedClassColumn = target, SharedClasses = k };
            return (SyntheticData.Generate(descriptor.Schema, options), k);
        }

        string path = FilePath(descriptor, specPath, dataPath);
        var modalities = ModelData.Load(descriptor, specPath, dataPath, samples, withTargets: false);
        var array = ReadLabels(path, target);
        long largest = array.Longs is long[] ids && ids.Length > 0 ? ids.Max() : 1;
        if (classes is null && largest >= MaxClasses)
            throw new DataException(path, $"label column '{target}' has class {largest}; a probe takes at most {MaxClasses} classes.");
        int count = classes ?? (int)Math.Max(2, largest + 1);
        var labels = new DataSchema([], [new TargetDescriptor(target, TargetKind.Classification, count)])
            .Bind(new Dictionary<string, NpyArray> { [target] = array }, path);
        if (labels.Count != modalities.Count)
            throw new DataException(path, $"label column '{target}' has {labels.Count} samples but the modalities have {modalities.Count}.");
        return (new Dataset(modalities.Columns.Concat(labels.Columns)), count);
    }

    private static bool IsSynthetic(ModelDescriptor descriptor, string? dataPath) => dataPath is null && descriptor.Data is SyntheticDataSettings;

    private static IEnumerable<string> Labels(ModelDescriptor descriptor) =>
        descriptor.Targets.Where(t => t.Kind == TargetKind.Classification).Select(t => $"'{t.Name}'").Append($"'{SharedClassColumn}' (the class of the shared latent)");

    private static string FilePath(ModelDescriptor descriptor, string specPath, string? dataPath)
    {
        if (dataPath is not null) return dataPath;
        string folder = Path.GetDirectoryName(Path.GetFullPath(specPath)) ?? ".";
        return descriptor.Data switch
        {
            NpzDataSettings n => Path.Combine(folder, n.Path),
            NpyDataSettings n => Path.Combine(folder, n.Path),
            CsvDataSettings c => throw new DataException(Path.Combine(folder, c.Path), "the probe reads an undeclared label column from an .npz file or a folder of .npy files, not from a .csv; declare a classifier head for it or pass --data."),
            _ => throw new InvalidOperationException($"unknown data settings {descriptor.Data.GetType().Name}"),
        };
    }

    private static NpyArray ReadLabels(string path, string target)
    {
        if (Directory.Exists(path))
        {
            string file = Path.Combine(path, target + ".npy");
            return File.Exists(file) ? NpyReader.Read(file) : throw new DataException(file, $"label column '{target}' has no file (expected {target}.npy in {path}).");
        }

        if (!path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            throw new DataException(path, "the probe reads an undeclared label column from an .npz file or a folder of .npy files.");
        var arrays = NpzReader.Read(path);
        return arrays.TryGetValue(target, out var array)
            ? array
            : throw new DataException(path, $"label column '{target}' is missing (found: {string.Join(", ", arrays.Keys.Order(StringComparer.Ordinal))}).");
    }
}
