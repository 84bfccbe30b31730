using System.Buffers.Binary;
using System.Text;
using Fusion.Runtime.Data;

namespace Fusion.Runtime.Tests;

/// <summary>The .npy reader and writer: layout, versions, dtypes, atomic writes and every refusal.</summary>
public sealed class NpyFormatTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("fusion-npy-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string PathOf(string name) => Path.Combine(folder, name);

    [Fact]
    public void Float32RoundTripsWithANumpyStyleHeader()
    {
        string path = PathOf("x.npy");
        float[] values = [1.5f, -2f, 3.25f, 0f, float.MaxValue, -0.5f];
        NpyWriter.Write(path, values, 2, 3);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.Latin1.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 6 * 4, bytes.Length);

        var array = NpyReader.Read(path);
        Assert.Equal([2, 3], array.Shape);
        Assert.Equal(values, array.Floats!);
        Assert.Equal("<f4", array.Descr);
    }

    [Fact]
    public void Int64AndOneDimensionalShapesRoundTrip()
    {
        string path = PathOf("y.npy");
        NpyWriter.Write(path, new long[] { 3, -1, long.MaxValue }, 3);
        Assert.Contains("'shape': (3,), }", Encoding.Latin1.GetString(File.ReadAllBytes(path)));
        var array = NpyReader.Read(path);
        Assert.Equal([3], array.Shape);
        Assert.Equal([3L, -1L, long.MaxValue], array.Longs!);
        Assert.Equal(DataType.Int64, array.Type);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadsEveryFormatVersion(int version)
    {
        var bytes = Npy(version, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", [1f, 2f]);
        var array = NpyReader.Read(new MemoryStream(bytes), "v.npy");
        Assert.Equal([1f, 2f], array.Floats!);
    }

    [Fact]
    public void WidensFloat64AndInt32()
    {
        var f8 = Npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }", BitConverterBytes([0.5, -3.0]));
        var a = NpyReader.Read(new MemoryStream(f8), "f8.npy");
        Assert.Equal([2, 1], a.Shape);
        Assert.Equal([0.5f, -3f], a.Floats!);
        Assert.Equal("float64", a.DtypeName);

        var i4 = Npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", Int32Bytes([7, -2, int.MaxValue]));
        var b = NpyReader.Read(new MemoryStream(i4), "i4.npy");
        Assert.Equal([7L, -2L, int.MaxValue], b.Longs!);
    }

    [Fact]
    public void ReadsAScalarAndKeysInAnyOrder()
    {
        var bytes = Npy(1, "{'shape': (), 'fortran_order': False, 'descr': '<i8'}", BitConverter.GetBytes(42L));
        var array = NpyReader.Read(new MemoryStream(bytes), "s.npy");
        Assert.Empty(array.Shape);
        Assert.Equal([42L], array.Longs!);
    }

    [Fact]
    public void RefusesFortranOrder()
    {
        var bytes = Npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new float[4]);
        var e = Assert.Throws<DataException>(() => NpyReader.Read(new MemoryStream(bytes), "data/f.npy"));
        Assert.Equal("data/f.npy: the array is stored in Fortran order (fortran_order: True); save it in C order (np.ascontiguousarray) instead.", e.Message);
    }

    [Theory]
    [InlineData(">f4")]
    [InlineData("|b1")]
    [InlineData("<f2")]
    [InlineData("<U3")]
    public void RefusesUnsupportedDtypes(string descr)
    {
        var bytes = Npy(1, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1,), }}", new float[1]);
        var e = Assert.Throws<DataException>(() => NpyReader.Read(new MemoryStream(bytes), "d.npy"));
        Assert.Equal($"d.npy: dtype '{descr}' is not supported (supported: '<f4' float32, '<f8' float64, '<i8' int64, '<i4' int32).", e.Message);
    }

    [Fact]
    public void RefusesBadMagicVersionsHeadersAndTruncation()
    {
        var notNpy = Assert.Throws<DataException>(() => NpyReader.Read(new MemoryStream("PK\x03\x04 not npy"u8.ToArray()), "z.npy"));
        Assert.Equal("z.npy: not a .npy file (the magic string \\x93NUMPY is missing).", notNpy.Message);

        var v4 = Npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new float[1]);
        v4[6] = 4;
        Assert.Equal("v.npy: .npy format version 4.0 is not supported (1.0, 2.0 and 3.0 are).",
            Assert.Throws<DataException>(() => NpyReader.Read(new MemoryStream(v4), "v.npy")).Message);

        var noShape = Npy(1, "{'descr': '<f4', 'fortran_order': False}", new float[1]);
        Assert.StartsWith("h.npy: the .npy header has no 'shape' tuple",
            Assert.Throws<DataException>(() => NpyReader.Read(new MemoryStream(noShape), "h.npy")).Message);

        var shortData = Npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new float[3]);
        Assert.Equal("t.npy: the .npy file ends before the 4 values of shape [4] and dtype '<f4'.",
            Assert.Throws<DataException>(() => NpyReader.Read(new MemoryStream(shortData), "t.npy")).Message);

        var cut = Npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new float[4])[..20];
        Assert.Equal("c.npy: the .npy file ends inside its header.",
            Assert.Throws<DataException>(() => NpyReader.Read(new MemoryStream(cut), "c.npy")).Message);
    }

    [Fact]
    public void AHeaderClaimingMoreDataThanTheFileHoldsIsRefusedBeforeAllocating()
    {
        var bytes = Npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000,), }", new float[2]);
        Assert.Equal("huge.npy: the .npy file ends before the 2000000000 values of shape [2000000000] and dtype '<f8'.",
            Assert.Throws<DataException>(() => NpyReader.Read(new MemoryStream(bytes), "huge.npy")).Message);
    }

    [Fact]
    public void AMissingFileIsADataExceptionNamingIt()
    {
        string path = PathOf("absent.npy");
        var e = Assert.Throws<DataException>(() => NpyReader.Read(path));
        Assert.StartsWith($"{path}: cannot read the file:", e.Message);
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileAndNoTemporary()
    {
        string path = PathOf("keep.npy");
        NpyWriter.Write(path, new float[] { 1, 2 }, 2);
        var before = File.ReadAllBytes(path);
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(path, new float[3], 2, 2));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["keep.npy"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void AHugeHeaderIsWrittenAsVersionTwo()
    {
        // 30000 axes of size 1 need a header of about 90000 bytes, past version 1.0's 16-bit length
        var shape = Enumerable.Repeat(1, 30000).ToArray();
        var stream = new MemoryStream();
        NpyWriter.Write(stream, new float[] { 5f }, shape);
        var bytes = stream.ToArray();
        Assert.Equal(2, bytes[6]);
        Assert.Equal(0, (12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8))) % 64);
        var array = NpyReader.Read(new MemoryStream(bytes), "big.npy");
        Assert.Equal(30000, array.Shape.Length);
        Assert.Equal([5f], array.Floats!);
    }

    internal static byte[] Npy(int version, string dict, float[] values) =>
        Npy(version, dict, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    internal static byte[] Npy(int version, string dict, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(dict + "\n");
        var stream = new MemoryStream();
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0]);
        if (version == 1) stream.Write(BitConverter.GetBytes((ushort)header.Length));
        else stream.Write(BitConverter.GetBytes((uint)header.Length));
        stream.Write(header);
        stream.Write(data);
        return stream.ToArray();
    }

    private static byte[] BitConverterBytes(double[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static byte[] Int32Bytes(int[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
