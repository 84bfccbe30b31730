using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fusion.Runtime.Checkpoints;

/// <summary>
/// Writes a safetensors file atomically: everything goes to a temporary file in the destination's folder,
/// which is flushed to disk and then renamed over the destination, so a crash or an exception never leaves a
/// half-written checkpoint (an existing file at the destination stays as it was).
/// </summary>
internal static class SafeTensorsWriter
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = false,
        // Escape only what JSON requires, so names such as "encoder.0+proj" stay readable in the header.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, IReadOnlyList<NamedArray> tensors, IReadOnlyDictionary<string, string>? metadata,
        Func<Stream, Stream>? wrapStream = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] header = Header(tensors, metadata);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                Stream stream = wrapStream?.Invoke(file) ?? file;
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (NamedArray tensor in tensors) stream.Write(tensor.Bytes);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
                // The original error matters more than a temporary file that could not be removed.
            }
            catch (UnauthorizedAccessException)
            {
            }
            throw;
        }
    }

    /// <summary>
    /// The JSON header: "__metadata__" first (keys in ordinal order) when there is any, then the tensors in the given
    /// order with consecutive data_offsets; padded with spaces to a multiple of 8 bytes.
    /// </summary>
    internal static byte[] Header(IReadOnlyList<NamedArray> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (NamedArray tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (tensor.Name == SafeTensors.MetadataKey)
                throw new ArgumentException($"A tensor cannot be named '{SafeTensors.MetadataKey}'; the format reserves it.", nameof(tensors));
            if (!names.Add(tensor.Name))
                throw new ArgumentException($"Two tensors are named '{tensor.Name}'.", nameof(tensors));
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafeTensors.MetadataKey);
                foreach (KeyValuePair<string, string> item in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    ArgumentNullException.ThrowIfNull(item.Value, $"{nameof(metadata)}[{item.Key}]");
                    json.WriteString(item.Key, item.Value);
                }
                json.WriteEndObject();
            }

            long offset = 0;
            foreach (NamedArray tensor in tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.Name());
                json.WriteStartArray("shape");
                foreach (long dim in tensor.Shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Bytes.Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        int length = (int)buffer.Length;
        int padded = (length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        buffer.GetBuffer().AsSpan(0, length).CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }
}
