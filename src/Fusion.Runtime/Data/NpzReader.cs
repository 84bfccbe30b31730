using System.IO.Compression;

namespace Fusion.Runtime.Data;

/// <summary>
/// Reads numpy's <c>.npz</c> archives (<c>np.savez</c>: stored, <c>np.savez_compressed</c>:
/// deflated): a zip whose members <c>name.npy</c> are read by <see cref="NpyReader"/>; the
/// arrays are keyed by member name without the <c>.npy</c> suffix.
/// </summary>
public static class NpzReader
{
    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException(path, $"cannot read the file: {e.Message}", e);
        }
    }

    public static IReadOnlyDictionary<string, NpyArray> Read(Stream stream, string source)
    {
        ZipArchive archive;
        try { archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw new DataException(source, $"not an .npz file (not a zip archive: {e.Message}).", e); }
        using (archive)
        {
            var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                string name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                string member = $"{source}[{entry.FullName}]";
                try
                {
                    using var s = entry.Open();
                    arrays[name] = NpyReader.Read(s, member);
                }
                catch (InvalidDataException e)
                {
                    throw new DataException(member, $"the member cannot be decompressed: {e.Message}", e);
                }
            }
            return arrays;
        }
    }
}
