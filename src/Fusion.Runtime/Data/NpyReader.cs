using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fusion.Runtime.Data;

/// <summary>
/// Reads numpy's <c>.npy</c> format (versions 1.0, 2.0 and 3.0): the magic <c>\x93NUMPY</c>, a
/// version, a little-endian header length (2 bytes in 1.0, 4 in 2.0/3.0), a Python-dict header
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>, then the raw data.
/// Supported dtypes: <c>&lt;f4</c> and <c>&lt;f8</c> (read as float32), <c>&lt;i8</c> and <c>&lt;i4</c>
/// (read as int64); C order only. Anything else is a <see cref="DataException"/> naming the file.
/// </summary>
public static partial class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
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

    /// <summary>Reads one array from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static NpyArray Read(Stream stream, string source)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (!ReadFully(stream, prefix) || !prefix[..6].SequenceEqual(Magic))
            throw new DataException(source, "not a .npy file (the magic string \\x93NUMPY is missing).");
        byte major = prefix[6], minor = prefix[7];
        int headerLength;
        if (major == 1)
        {
            Span<byte> len = stackalloc byte[2];
            if (!ReadFully(stream, len)) throw Truncated(source, "header length");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
        }
        else if (major is 2 or 3)
        {
            Span<byte> len = stackalloc byte[4];
            if (!ReadFully(stream, len)) throw Truncated(source, "header length");
            uint l = BinaryPrimitives.ReadUInt32LittleEndian(len);
            if (l > 1 << 24) throw new DataException(source, $"the .npy header claims {l} bytes.");
            headerLength = (int)l;
        }
        else throw new DataException(source, $".npy format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are).");

        var headerBytes = new byte[headerLength];
        if (!ReadFully(stream, headerBytes)) throw Truncated(source, "header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortran, shape) = ParseHeader(header, source);
        if (fortran)
            throw new DataException(source, "the array is stored in Fortran order (fortran_order: True); save it in C order (np.ascontiguousarray) instead.");
        int count;
        try { count = ShapeText.Numel(shape); }
        catch (ArgumentException) { throw new DataException(source, $"shape {ShapeText.Format(shape)} is too large."); }

        int itemSize = descr switch { "<f4" or "<i4" => 4, "<f8" or "<i8" => 8, _ => 0 };
        if (itemSize > 0 && stream.CanSeek && stream.Length - stream.Position < (long)count * itemSize)
            throw TruncatedData(source, shape, descr); // before allocating what a corrupt header claims

        switch (descr)
        {
            case "<f4":
            {
                var values = new float[count];
                if (!ReadFully(stream, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()))) throw TruncatedData(source, shape, descr);
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
                return new NpyArray(shape, values, descr);
            }
            case "<f8":
            {
                var raw = new double[count];
                if (!ReadFully(stream, System.Runtime.InteropServices.MemoryMarshal.AsBytes(raw.AsSpan()))) throw TruncatedData(source, shape, descr);
                var values = new float[count];
                for (int i = 0; i < count; i++) values[i] = (float)raw[i];
                return new NpyArray(shape, values, descr);
            }
            case "<i8":
            {
                var values = new long[count];
                if (!ReadFully(stream, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()))) throw TruncatedData(source, shape, descr);
                return new NpyArray(shape, values, descr);
            }
            case "<i4":
            {
                var raw = new int[count];
                if (!ReadFully(stream, System.Runtime.InteropServices.MemoryMarshal.AsBytes(raw.AsSpan()))) throw TruncatedData(source, shape, descr);
                var values = new long[count];
                for (int i = 0; i < count; i++) values[i] = raw[i];
                return new NpyArray(shape, values, descr);
            }
            default:
                throw new DataException(source, $"dtype '{descr}' is not supported (supported: '<f4' float32, '<f8' float64, '<i8' int64, '<i4' int32).");
        }
    }

    /// <summary>Parses the header dict; every key must be present and the values well-formed.</summary>
    internal static (string Descr, bool Fortran, int[] Shape) ParseHeader(string header, string source)
    {
        var descr = DescrPattern().Match(header);
        if (!descr.Success) throw new DataException(source, $"the .npy header has no 'descr' entry: {header.Trim()}");
        var fortran = FortranPattern().Match(header);
        if (!fortran.Success) throw new DataException(source, $"the .npy header has no 'fortran_order' entry: {header.Trim()}");
        var shape = ShapePattern().Match(header);
        if (!shape.Success) throw new DataException(source, $"the .npy header has no 'shape' tuple: {header.Trim()}");
        var dims = new List<int>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string p = part.EndsWith('L') ? part[..^1] : part;
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                throw new DataException(source, $"the .npy shape ({shape.Groups[1].Value}) has a bad dimension '{part}'.");
            dims.Add(d);
        }
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims.ToArray());
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    private static DataException Truncated(string source, string what) => new(source, $"the .npy file ends inside its {what}.");

    private static DataException TruncatedData(string source, int[] shape, string descr) =>
        new(source, $"the .npy file ends before the {ShapeText.Numel(shape)} values of shape {ShapeText.Format(shape)} and dtype '{descr}'.");

    private static bool ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) return false;
            total += n;
        }
        return true;
    }
}
