using System.Diagnostics;
using System.IO.Compression;
using Fusion.Runtime.Data;

namespace Fusion.Runtime.Tests;

/// <summary>Datasets through .npz archives, .npy folders and numpy itself.</summary>
public sealed class DataFilesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("fusion-data-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly DataSchema Schema = new(
        [
            new ModalityDescriptor("x", [3], ModalityKind.Vector),
            new ModalityDescriptor("seq", [-1, 2], ModalityKind.Sequence),
            new ModalityDescriptor("words", [4], ModalityKind.Tokens, Vocab: 50),
        ],
        [new TargetDescriptor("y", TargetKind.Classification, 3), new TargetDescriptor("r", TargetKind.Regression, 2)]);

    private static Dataset Sample() => SyntheticData.Generate(Schema, new SyntheticOptions { Samples = 10, Seed = 5, OpenLength = 6 });

    private static void AssertSame(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.Columns.Select(c => c.Name), actual.Columns.Select(c => c.Name));
        foreach (var e in expected.Columns)
        {
            var a = actual[e.Name];
            Assert.Equal(e.SampleShape, a.SampleShape);
            Assert.Equal(e.Floats, a.Floats);
            Assert.Equal(e.Longs, a.Longs);
            Assert.Equal(e.Lengths, a.Lengths);
        }
    }

    [Theory]
    [InlineData(false, CompressionMethodStored)]
    [InlineData(true, CompressionMethodDeflate)]
    public void NpzRoundTripsStoredAndDeflated(bool compressed, int method)
    {
        var data = Sample();
        string path = Path.Combine(folder, "d.npz");
        NpzData.Write(path, data, compressed);
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Equal(["x.npy", "seq.npy", "seq_lengths.npy", "words.npy", "words_lengths.npy", "y.npy", "r.npy"], zip.Entries.Select(e => e.FullName));
            Assert.All(zip.Entries, e => Assert.Equal(method, CompressionMethodOf(path, e.FullName)));
        }
        AssertSame(data, NpzData.Read(path, Schema));
    }

    private const int CompressionMethodStored = 0;
    private const int CompressionMethodDeflate = 8;

    /// <summary>The compression method field of an entry's local header (ZipArchiveEntry does not expose it).</summary>
    private static int CompressionMethodOf(string path, string entry)
    {
        var bytes = File.ReadAllBytes(path);
        var name = System.Text.Encoding.UTF8.GetBytes(entry);
        for (int i = 0; i + 30 < bytes.Length; i++)
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 3 && bytes[i + 3] == 4
                && BitConverter.ToUInt16(bytes, i + 26) == name.Length && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
                return BitConverter.ToUInt16(bytes, i + 8);
        throw new InvalidOperationException($"No local header for {entry}.");
    }

    [Fact]
    public void NpyFolderRoundTrips()
    {
        var data = Sample();
        string dir = Path.Combine(folder, "npy");
        NpyFolder.Write(dir, data);
        Assert.True(File.Exists(Path.Combine(dir, "seq_lengths.npy")));
        AssertSame(data, NpyFolder.Read(dir, Schema));
    }

    [Fact]
    public void NpyFolderNamesTheMissingFile()
    {
        string dir = Path.Combine(folder, "partial");
        NpyFolder.Write(dir, Sample());
        File.Delete(Path.Combine(dir, "y.npy"));
        var e = Assert.Throws<DataException>(() => NpyFolder.Read(dir, Schema));
        Assert.Equal($"{Path.Combine(dir, "y.npy")}: target 'y' has no file (expected y.npy in {dir}).", e.Message);
        var none = Path.Combine(folder, "nowhere");
        Assert.Equal($"{none}: the data folder does not exist.", Assert.Throws<DataException>(() => NpyFolder.Read(none, Schema)).Message);
    }

    [Fact]
    public void NpzErrorsNameTheArchiveAndTheMember()
    {
        string notZip = Path.Combine(folder, "bad.npz");
        File.WriteAllText(notZip, "not a zip");
        Assert.StartsWith($"{notZip}: not an .npz file (not a zip archive:", Assert.Throws<DataException>(() => NpzReader.Read(notZip)).Message);

        string badMember = Path.Combine(folder, "member.npz");
        using (var zip = ZipFile.Open(badMember, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("x.npy").Open()) s.Write("garbage"u8);
        Assert.Equal($"{badMember}[x.npy]: not a .npy file (the magic string \\x93NUMPY is missing).",
            Assert.Throws<DataException>(() => NpzReader.Read(badMember)).Message);

        string wrong = Path.Combine(folder, "wrong.npz");
        NpzWriter.Write(wrong, [new("x", new NpyArray([10, 4], new float[40]))]);
        Assert.Equal($"{wrong}: modality 'x' has shape [10, 4] but the spec declares [3] per sample.",
            Assert.Throws<DataException>(() => NpzData.Read(wrong, Schema)).Message);
    }

    [SafeTensorsPythonFact]
    public void NumpySavezAndSavezCompressedAreRead()
    {
        string script = """
            import sys, numpy as np
            out = sys.argv[1]
            x = np.arange(12, dtype=np.float64).reshape(4, 3) / 4     # float64, widened to float32
            seq = np.arange(4 * 5 * 2, dtype=np.float32).reshape(4, 5, 2)
            seq_lengths = np.array([5, 3, 1, 4], dtype=np.int32)     # int32
            words = np.array([[1, 2, 3, 0], [4, 5, 0, 0], [49, 1, 1, 1], [7, 7, 7, 7]])  # int64 by default
            words_lengths = np.array([3, 2, 4, 4])
            y = np.array([0, 2, 1, 2], dtype=np.int32)
            r = np.array([[0.5, -1], [1, 2], [3, 4], [5, 6]])
            arrays = dict(x=x, seq=seq, seq_lengths=seq_lengths, words=words, words_lengths=words_lengths, y=y, r=r)
            np.savez(out + "/plain.npz", **arrays)
            np.savez_compressed(out + "/packed.npz", **arrays)
            """;
        RunPython(script, folder);
        foreach (var name in new[] { "plain.npz", "packed.npz" })
        {
            var data = NpzData.Read(Path.Combine(folder, name), Schema);
            Assert.Equal(4, data.Count);
            Assert.Equal(Enumerable.Range(0, 12).Select(i => i / 4f), data["x"].Floats!);
            Assert.Equal([5, 2], data["seq"].SampleShape);
            Assert.Equal([5, 3, 1, 4], data["seq"].Lengths!);
            Assert.Equal(Enumerable.Range(0, 40).Select(i => (float)i), data["seq"].Floats!);
            Assert.Equal([1L, 2, 3, 0, 4, 5, 0, 0, 49, 1, 1, 1, 7, 7, 7, 7], data["words"].Longs!);
            Assert.Equal([0L, 2, 1, 2], data["y"].Longs!);
            Assert.Equal([0.5f, -1, 1, 2, 3, 4, 5, 6], data["r"].Floats!);
        }
    }

    [SafeTensorsPythonFact]
    public void NumpyReadsOurNpyAndNpzAndRefusesNothingWeWrite()
    {
        var data = Sample();
        NpzData.Write(Path.Combine(folder, "ours.npz"), data, compressed: true);
        NpyWriter.Write(Path.Combine(folder, "f.npy"), new float[] { 1.5f, -2f, 3f, 4f, 5f, 6f }, 3, 2);
        NpyWriter.Write(Path.Combine(folder, "l.npy"), new long[] { 1, -2, 3 }, 3);
        string script = """
            import sys, numpy as np
            d = sys.argv[1]
            f = np.load(d + "/f.npy"); l = np.load(d + "/l.npy")
            assert f.dtype == np.float32 and f.shape == (3, 2) and f[0, 0] == 1.5 and f.sum() == 17.5, f
            assert l.dtype == np.int64 and l.shape == (3,) and list(l) == [1, -2, 3], l
            z = np.load(d + "/ours.npz")
            print(sorted(z.files))
            print(z["seq"].shape, z["seq"].dtype, z["seq_lengths"].dtype, z["y"].dtype, repr(float(z["x"].sum())))
            """;
        string output = RunPython(script, folder);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("['r', 'seq', 'seq_lengths', 'words', 'words_lengths', 'x', 'y']", lines[0]);
        double sum = data["x"].Floats!.Sum(v => (double)v);
        Assert.StartsWith("(10, 6, 2) float32 int64 int64 ", lines[1]);
        Assert.Equal(sum, double.Parse(lines[1].Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture), 3);
    }

    [SafeTensorsPythonFact]
    public void NumpyFortranOrderIsRefusedWithTheFileName()
    {
        RunPython("""
            import sys, numpy as np
            np.save(sys.argv[1] + "/x.npy", np.asfortranarray(np.ones((3, 2), dtype=np.float32)))
            """, folder);
        string path = Path.Combine(folder, "x.npy");
        Assert.Equal($"{path}: the array is stored in Fortran order (fortran_order: True); save it in C order (np.ascontiguousarray) instead.",
            Assert.Throws<DataException>(() => NpyReader.Read(path)).Message);
    }

    private static string RunPython(string script, string argument)
    {
        var start = new ProcessStartInfo(SafeTensorsPythonFactAttribute.Python, ["-c", script, argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "python did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"python failed: {stderr}");
        return stdout;
    }
}
