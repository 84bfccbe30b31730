namespace Fusion.Runtime.Data;

/// <summary>
/// A folder of <c>.npy</c> files named after the columns: <c>&lt;modality&gt;.npy</c>,
/// <c>&lt;target&gt;.npy</c> and optional <c>&lt;modality&gt;_lengths.npy</c>.
/// </summary>
public static class NpyFolder
{
    /// <summary>Reads the files the schema declares and binds them (see <see cref="DataSchema"/>).</summary>
    public static Dataset Read(string folder, DataSchema schema)
    {
        if (!Directory.Exists(folder)) throw new DataException(folder, "the data folder does not exist.");
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        void TryRead(string name)
        {
            string path = Path.Combine(folder, name + ".npy");
            if (File.Exists(path)) arrays[name] = NpyReader.Read(path);
        }
        foreach (var m in schema.Modalities)
        {
            TryRead(m.Name);
            TryRead(DataSchema.LengthsName(m.Name));
        }
        foreach (var t in schema.Targets) TryRead(t.Name);
        foreach (var m in schema.Modalities)
            if (!m.Optional && !arrays.ContainsKey(m.Name))
                throw new DataException(Path.Combine(folder, m.Name + ".npy"), $"modality '{m.Name}' has no file (expected {m.Name}.npy in {folder}).");
        foreach (var t in schema.Targets)
            if (!arrays.ContainsKey(t.Name))
                throw new DataException(Path.Combine(folder, t.Name + ".npy"), $"target '{t.Name}' has no file (expected {t.Name}.npy in {folder}).");
        return schema.Bind(arrays, folder);
    }

    /// <summary>Writes each column as <c>&lt;name&gt;.npy</c> (and <c>&lt;name&gt;_lengths.npy</c>) into <paramref name="folder"/>, creating it.</summary>
    public static void Write(string folder, Dataset data)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, array) in DatasetArrays.ToArrays(data)) NpyWriter.Write(Path.Combine(folder, name + ".npy"), array);
    }
}
