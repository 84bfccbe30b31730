using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Fusion.Runtime.Data;

/// <summary>
/// Writes numpy <c>.npy</c> files: float32 as <c>&lt;f4</c>, int64 as <c>&lt;i8</c>, C order,
/// format 1.0 (2.0 when the header would not fit 65535 bytes), header padded with spaces to a
/// multiple of 64 bytes as numpy does. File writes go to a temporary file in the same folder that
/// is renamed over the target, so a failed write never leaves a half-written file.
/// </summary>
public static class NpyWriter
{
    public static void Write(string path, float[] values, params int[] shape) => AtomicFile.Write(path, s => Write(s, values, shape));

    public static void Write(string path, long[] values, params int[] shape) => AtomicFile.Write(path, s => Write(s, values, shape));

    public static void Write(string path, NpyArray array) => AtomicFile.Write(path, s => Write(s, array));

    public static void Write(Stream stream, NpyArray array)
    {
        if (array.Floats is float[] f) Write(stream, f, array.Shape);
        else Write(stream, array.Longs!, array.Shape);
    }

    public static void Write(Stream stream, float[] values, params int[] shape)
    {
        WriteHeader(stream, "<f4", shape, values.Length);
        stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    public static void Write(Stream stream, long[] values, params int[] shape)
    {
        WriteHeader(stream, "<i8", shape, values.Length);
        stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void WriteHeader(Stream stream, string descr, int[] shape, int count)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        if (ShapeText.Numel(shape) != count) throw new ArgumentException($"{count} values do not fill shape {ShapeText.Format(shape)}.");
        string tuple = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple}, }}";
        int version = 1, prelude = 10;
        int padded = (prelude + dict.Length + 1 + 63) / 64 * 64;
        if (padded - prelude > ushort.MaxValue)
        {
            version = 2;
            prelude = 12;
            padded = (prelude + dict.Length + 1 + 63) / 64 * 64;
        }
        int total = prelude + dict.Length + 1;
        var header = dict + new string(' ', padded - total) + "\n";
        var bytes = Encoding.Latin1.GetBytes(header);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0]);
        Span<byte> len = stackalloc byte[4];
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)bytes.Length);
            stream.Write(len[..2]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)bytes.Length);
            stream.Write(len);
        }
        stream.Write(bytes);
    }
}
