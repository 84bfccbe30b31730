using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Fusion.Runtime.Checkpoints;

/// <summary>
/// Reads and validates a safetensors file: the 8-byte little-endian header length N, N bytes of UTF-8 JSON,
/// then the data buffer, whose tensors must tile it exactly (no gaps, no overlaps, nothing past its end).
/// Every problem raises <see cref="SafeTensorsFormatException"/> naming the file.
/// </summary>
internal static class SafeTensorsReader
{
    /// <summary>The reference implementation refuses headers above 100 MB; so do we.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly record struct Entry(string Name, SafeTensorDType DType, long[] Shape, long Begin, long End);

    public static SafeTensorsFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Error(path, $"truncated: the file is {fileLength} bytes, shorter than the 8-byte header length.");

        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
            throw Error(path, $"the header length {headerLength} is larger than the {MaxHeaderBytes}-byte limit.");
        if ((long)headerLength > fileLength - 8)
            throw Error(path, $"the header length {headerLength} goes beyond the end of the file ({fileLength} bytes; at most {fileLength - 8} after the length).");
        if (headerLength < 2)
            throw Error(path, $"the header length {headerLength} is too short to hold a JSON object.");

        byte[] header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;

        (Dictionary<string, string> metadata, List<Entry> entries) = ParseHeader(path, header);
        CheckLayout(path, entries, dataLength);

        long dataStart = 8 + (long)headerLength;
        var tensors = new List<NamedArray>(entries.Count);
        foreach (Entry entry in entries)
        {
            long count = entry.End - entry.Begin;
            if (count > Array.MaxLength)
                throw Error(path, $"tensor '{entry.Name}' is {count} bytes, more than one array can hold.");
            byte[] bytes = new byte[count];
            stream.Position = dataStart + entry.Begin;
            stream.ReadExactly(bytes);
            tensors.Add(new NamedArray(entry.Name, entry.DType, entry.Shape, bytes));
        }
        return new SafeTensorsFile(path, metadata, tensors);
    }

    private static (Dictionary<string, string>, List<Entry>) ParseHeader(string path, byte[] header)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(header);
        }
        catch (DecoderFallbackException)
        {
            throw Error(path, "the header is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            // Trailing spaces are the format's padding; JSON allows them as whitespace.
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw Error(path, $"the header is not valid JSON ({e.Message}).");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Error(path, $"the header is a JSON {root.ValueKind}, not an object.");

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Error(path, $"the header names '{property.Name}' twice.");
                if (property.Name == SafeTensors.MetadataKey)
                    ReadMetadata(path, property.Value, metadata);
                else
                    entries.Add(ReadEntry(path, property.Name, property.Value));
            }
            return (metadata, entries);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(path, $"\"{SafeTensors.MetadataKey}\" is a JSON {value.ValueKind}, not an object of strings.");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Error(path, $"metadata value '{item.Name}' is a JSON {item.Value.ValueKind}, not a string.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Error(path, $"metadata names '{item.Name}' twice.");
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement value)
    {
        if (name.Length == 0)
            throw Error(path, "a tensor has an empty name.");
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(path, $"tensor '{name}' is described by a JSON {value.ValueKind}, not an object.");

        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Error(path, $"tensor '{name}' has no \"dtype\" string.");
        string dtypeName = dtypeElement.GetString()!;
        if (!SafeTensorDTypes.TryParse(dtypeName, out SafeTensorDType dtype))
            throw Error(path, $"tensor '{name}' has unknown dtype '{dtypeName}' (known: {string.Join(", ", Enum.GetNames<SafeTensorDType>())}).");

        long[] shape = ReadIntegers(path, name, value, "shape", expectedCount: null);
        long[] offsets = ReadIntegers(path, name, value, "data_offsets", expectedCount: 2);
        if (offsets[1] < offsets[0])
            throw Error(path, $"tensor '{name}' has data_offsets [{offsets[0]}, {offsets[1]}] that end before they begin.");

        long bytes;
        try
        {
            long count = 1;
            foreach (long dim in shape) count = checked(count * dim);
            bytes = checked(count * dtype.Size());
        }
        catch (OverflowException)
        {
            throw Error(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}], too large to address.");
        }
        if (offsets[1] - offsets[0] != bytes)
            throw Error(path, $"tensor '{name}' of dtype {dtypeName} and shape [{string.Join(", ", shape)}] needs {bytes} bytes but data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}.");
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(string path, string name, JsonElement value, string field, int? expectedCount)
    {
        if (!value.TryGetProperty(field, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
            throw Error(path, $"tensor '{name}' has no \"{field}\" array.");
        var result = new long[array.GetArrayLength()];
        if (expectedCount is int count && result.Length != count)
            throw Error(path, $"tensor '{name}' has {result.Length} {field} instead of {count}.");
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
                throw Error(path, $"tensor '{name}' has {field} entry {item.GetRawText()}, not a non-negative integer.");
            result[i++] = number;
        }
        return result;
    }

    /// <summary>Tensors must cover [0, dataLength) exactly, in order of their offsets.</summary>
    private static void CheckLayout(string path, List<Entry> entries, long dataLength)
    {
        entries.Sort((x, y) => x.Begin != y.Begin ? x.Begin.CompareTo(y.Begin) : x.End.CompareTo(y.End));
        long expected = 0;
        string? previous = null;
        foreach (Entry entry in entries)
        {
            if (entry.Begin < expected)
                throw Error(path, $"tensor '{entry.Name}' data [{entry.Begin}, {entry.End}) overlaps tensor '{previous}', which ends at {expected}.");
            if (entry.Begin > expected)
                throw Error(path, $"tensor '{entry.Name}' data begins at {entry.Begin}, leaving a gap after byte {expected}{(previous is null ? "" : $" (end of tensor '{previous}')")}.");
            if (entry.End > dataLength)
                throw Error(path, $"truncated: tensor '{entry.Name}' data [{entry.Begin}, {entry.End}) goes beyond the {dataLength} data bytes in the file.");
            expected = entry.End;
            previous = entry.Name;
        }
        if (expected != dataLength)
            throw Error(path, $"the file has {dataLength - expected} bytes after the last tensor's data (data ends at {expected}, the file holds {dataLength} data bytes).");
    }

    private static SafeTensorsFormatException Error(string path, string problem) => new(path, problem);
}
