using System.IO.Compression;

namespace Fusion.Runtime.Data;

/// <summary>
/// Writes an <c>.npz</c> archive (members <c>name.npy</c>, deflated when <c>compressed</c>, else
/// stored, as <c>np.savez_compressed</c> / <c>np.savez</c>) through a temporary file renamed into place.
/// </summary>
public static class NpzWriter
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays, bool compressed = false) =>
        AtomicFile.Write(path, stream =>
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, array) in arrays)
            {
                var entry = archive.CreateEntry(name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var s = entry.Open();
                NpyWriter.Write(s, array);
            }
        });
}
