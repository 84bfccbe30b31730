namespace Fusion.Runtime.Checkpoints;

/// <summary>
/// Reads and writes safetensors files (the format of Hugging Face's safetensors library): an 8-byte little-endian
/// header length N, N bytes of UTF-8 JSON padded with spaces to a multiple of 8
/// (<c>{"__metadata__": {str: str}, "name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}</c>,
/// offsets relative to the data after the header), then the tensors' raw little-endian bytes, packed in order.
/// </summary>
public static class SafeTensors
{
    /// <summary>The header key that holds the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/> (data in the given order) and <paramref name="metadata"/> to
    /// <paramref name="path"/>. Atomic: the file is written under a temporary name in the same folder, flushed,
    /// then renamed into place, so a failure leaves any existing file untouched.
    /// </summary>
    public static void Write(string path, IReadOnlyList<NamedArray> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensorsWriter.Write(path, tensors, metadata);

    /// <summary>
    /// Reads and validates a file; throws <see cref="SafeTensorsFormatException"/> naming the file and the problem
    /// (truncated file, header length beyond the file, bad JSON, unknown dtype, offsets that overlap, leave gaps,
    /// run past the data or disagree with the shape).
    /// </summary>
    public static SafeTensorsFile Read(string path) => SafeTensorsReader.Read(path);
}
