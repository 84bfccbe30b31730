namespace Fusion.Runtime.Data;

/// <summary>A dataset in one <c>.npz</c> archive: arrays named after the modalities and targets (and <c>&lt;modality&gt;_lengths</c>).</summary>
public static class NpzData
{
    public static Dataset Read(string path, DataSchema schema) => schema.Bind(NpzReader.Read(path), path);

    public static void Write(string path, Dataset data, bool compressed = false) => NpzWriter.Write(path, DatasetArrays.ToArrays(data), compressed);
}
