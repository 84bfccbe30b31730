using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Fusion.Runtime.Checkpoints;

namespace Fusion.Runtime.Tests;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("fusion-safetensors-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string PathOf(string name) => Path.Combine(directory, name);

    [Fact]
    public void RoundTripKeepsNamesOrderDtypesShapesValuesAndMetadata()
    {
        float[] weights = [0.5f, -1.25f, float.MaxValue, float.Epsilon, -0f, 3e-8f];
        long[] steps = [long.MinValue, -1, 0, 1L << 40];
        var tensors = new[]
        {
            NamedArray.FromFloat32("encoder.weight", weights, 2, 3),
            NamedArray.FromInt64("step", steps, 4),
            NamedArray.FromFloat64("scale", [Math.PI]),
            NamedArray.FromInt32("labels", [1, -2, 3, int.MaxValue], 2, 2),
            NamedArray.FromFloat32("empty", [], 0, 3),
        };
        var metadata = new Dictionary<string, string> { ["spec_hash"] = "3f2a", ["note"] = "ünïcode \"quoted\" + <tags>" };
        string path = PathOf("model.safetensors");

        SafeTensors.Write(path, tensors, metadata);
        SafeTensorsFile file = SafeTensors.Read(path);

        Assert.Equal(path, file.Path);
        Assert.Equal(metadata.OrderBy(p => p.Key), file.Metadata.OrderBy(p => p.Key));
        Assert.Equal(["encoder.weight", "step", "scale", "labels", "empty"], file.Names);
        Assert.Equal(SafeTensorDType.F32, file["encoder.weight"].DType);
        Assert.Equal([2L, 3L], file["encoder.weight"].Shape);
        Assert.Equal([2, 3], file["encoder.weight"].ShapeAsInt32());
        Assert.Equal(weights.Select(BitConverter.SingleToInt32Bits), file["encoder.weight"].ToFloat32().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(steps, file["step"].ToInt64());
        Assert.Empty(file["scale"].Shape);
        Assert.Equal((float)Math.PI, Assert.Single(file["scale"].ToFloat32()));
        Assert.Equal([1L, -2L, 3L, int.MaxValue], file["labels"].ToInt64());
        Assert.Equal(0, file["empty"].ElementCount);
        Assert.Equal([0L, 3L], file["empty"].Shape);
        Assert.False(file.Contains("missing"));
        var missing = Assert.Throws<KeyNotFoundException>(() => file["missing"]);
        Assert.Contains(path, missing.Message);
    }

    [Fact]
    public void TinyFileHasTheExactLayoutOfTheFormat()
    {
        string path = PathOf("tiny.safetensors");
        SafeTensors.Write(path,
            [NamedArray.FromFloat32("w", [1f, -2f], 2), NamedArray.FromInt64("step", [7], [])],
            new Dictionary<string, string> { ["format"] = "pt" });

        const string json = """{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"step":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}""";
        int padded = (json.Length + 7) / 8 * 8;
        var expected = new List<byte>();
        expected.AddRange(BitConverter.GetBytes((ulong)padded)); // little-endian on every machine we run on; checked below
        expected.AddRange(Encoding.UTF8.GetBytes(json.PadRight(padded, ' ')));
        expected.AddRange([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]); // 1f, -2f
        expected.AddRange([0x07, 0, 0, 0, 0, 0, 0, 0]); // 7L

        byte[] actual = File.ReadAllBytes(path);
        Assert.Equal((ulong)padded, BinaryPrimitives.ReadUInt64LittleEndian(actual));
        Assert.Equal(0, (8 + padded) % 8);
        Assert.Equal(expected.ToArray(), actual);
    }

    [Fact]
    public void ReadsHeaderWithoutMetadataAndWithWhitespace()
    {
        string path = PathOf("plain.safetensors");
        WriteRaw(path, """ { "x" : { "dtype" : "I32", "shape" : [ 1 ], "data_offsets" : [ 0, 4 ] } } """, [5, 0, 0, 0]);
        SafeTensorsFile file = SafeTensors.Read(path);
        Assert.Empty(file.Metadata);
        Assert.Equal([5L], file["x"].ToInt64());
    }

    [Fact]
    public void ReadsHalfAndBFloat16AsFloat()
    {
        string path = PathOf("half.safetensors");
        // F16: 1.0 = 0x3C00, -2.5 = 0xC100. BF16: 1.0 = 0x3F80, -0.5 = 0xBF00.
        WriteRaw(path, """{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}""",
            [0x00, 0x3C, 0x00, 0xC1, 0x80, 0x3F, 0x00, 0xBF]);
        SafeTensorsFile file = SafeTensors.Read(path);
        Assert.Equal([1f, -2.5f], file["h"].ToFloat32());
        Assert.Equal([1f, -0.5f], file["b"].ToFloat32());
        Assert.Throws<InvalidOperationException>(() => file["h"].ToInt64());
    }

    public static TheoryData<string, string, string> Corruptions() => new()
    {
        // name, header JSON (null-free), problem text the error must contain
        { "unknown dtype", """{"x":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}""", "unknown dtype 'F33'" },
        { "overlap", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", "overlaps tensor 'a'" },
        { "gap", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", "leaving a gap" },
        { "past the data", """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", "goes beyond the 12 data bytes" },
        { "shape disagrees", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}""", "needs 8 bytes but data_offsets [0, 12] span 12" },
        { "trailing bytes", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "4 bytes after the last tensor" },
        { "reversed offsets", """{"a":{"dtype":"F32","shape":[0],"data_offsets":[12,0]}}""", "end before they begin" },
        { "negative dim", """{"a":{"dtype":"F32","shape":[-3],"data_offsets":[0,12]}}""", "not a non-negative integer" },
        { "bad json", """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}""", "not valid JSON" },
        { "not an object", """[1, 2, 3]""", "not an object" },
        { "duplicate", """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"a":{"dtype":"F32","shape":[0],"data_offsets":[12,12]}}""", "names 'a' twice" },
        { "metadata not strings", """{"__metadata__":{"epoch":3},"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", "metadata value 'epoch'" },
        { "empty name", """{"":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", "empty name" },
        { "missing dtype", """{"a":{"shape":[3],"data_offsets":[0,12]}}""", "no \"dtype\" string" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptHeaderIsRejectedNamingFileAndProblem(string name, string header, string problem)
    {
        string path = PathOf(name.Replace(' ', '_') + ".safetensors");
        WriteRaw(path, header, new byte[12]);
        AssertRejected(path, problem);
    }

    [Fact]
    public void FileShorterThanTheLengthPrefixIsTruncated()
    {
        string path = PathOf("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        AssertRejected(path, "truncated: the file is 5 bytes");
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsRejected()
    {
        string path = PathOf("long-header.safetensors");
        byte[] bytes = new byte[40];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        File.WriteAllBytes(path, bytes);
        AssertRejected(path, "header length 1000 goes beyond the end of the file (40 bytes");
    }

    [Fact]
    public void TruncatedDataIsRejected()
    {
        string path = PathOf("cut.safetensors");
        SafeTensors.Write(path, [NamedArray.FromFloat32("w", new float[16], 4, 4)]);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        AssertRejected(path, "truncated: tensor 'w' data [0, 64) goes beyond the 54 data bytes");
    }

    [Fact]
    public void FailedWriteLeavesTheExistingFileAndNoTemporaryFile()
    {
        string path = PathOf("checkpoint.safetensors");
        SafeTensors.Write(path, [NamedArray.FromFloat32("w", [1f, 2f, 3f], 3)], new Dictionary<string, string> { ["epoch"] = "1" });
        byte[] before = File.ReadAllBytes(path);

        var bigger = new[] { NamedArray.FromFloat32("w", new float[4096], 4096), NamedArray.FromInt64("step", [2], []) };
        var crash = Assert.Throws<IOException>(() => SafeTensorsWriter.Write(path, bigger, null, stream => new FailingStream(stream, failAfter: 1000)));
        Assert.Equal(FailingStream.Message, crash.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(directory));

        // Invalid input fails before anything is written.
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, [NamedArray.FromInt64("a", [1], 1), NamedArray.FromInt64("a", [2], 1)]));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(directory));

        // A successful write replaces the file whole, even with a shorter one.
        SafeTensors.Write(path, [NamedArray.FromInt64("s", [9], 1)]);
        Assert.Equal([9L], SafeTensors.Read(path)["s"].ToInt64());
        Assert.Equal([path], Directory.GetFiles(directory));
    }

    [Fact]
    public void NamedArrayRejectsDataThatDisagreesWithTheShape()
    {
        Assert.Throws<ArgumentException>(() => NamedArray.FromFloat32("w", [1f, 2f, 3f], 2, 2));
        Assert.Throws<ArgumentException>(() => new NamedArray("w", SafeTensorDType.F32, [-1], []));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(PathOf("x.safetensors"), [NamedArray.FromInt64(SafeTensors.MetadataKey, [1], 1)]));
    }

    [SafeTensorsPythonFact]
    public void PythonReadsOurFileByTheSpec()
    {
        string path = PathOf("for-python.safetensors");
        float[] a = Enumerable.Range(0, 6).Select(i => i * 0.5f - 1f).ToArray();
        SafeTensors.Write(path,
            [NamedArray.FromFloat32("a", a, 2, 3), NamedArray.FromInt64("b", [-1, 0, 1L << 40], 3), NamedArray.FromFloat64("c", [0.1], [])],
            new Dictionary<string, string> { ["spec_hash"] = "abc123" });

        const string script = """
            import json, struct, sys
            import numpy as np
            raw = open(sys.argv[1], "rb").read()
            n = struct.unpack("<Q", raw[:8])[0]
            assert n % 8 == 0, n
            header = json.loads(raw[8:8 + n].decode("utf-8"))
            data = raw[8 + n:]
            assert header.pop("__metadata__") == {"spec_hash": "abc123"}
            assert list(header) == ["a", "b", "c"], list(header)
            kinds = {"F32": "<f4", "I64": "<i8", "F64": "<f8"}
            arrays = {}
            end = 0
            for name, info in header.items():
                begin, stop = info["data_offsets"]
                assert begin == end, (name, begin, end)
                end = stop
                arrays[name] = np.frombuffer(data[begin:stop], dtype=kinds[info["dtype"]]).reshape(info["shape"])
            assert end == len(data)
            assert arrays["a"].shape == (2, 3) and np.array_equal(arrays["a"], (np.arange(6, dtype=np.float32) * 0.5 - 1).reshape(2, 3))
            assert np.array_equal(arrays["b"], np.array([-1, 0, 1 << 40], dtype=np.int64))
            assert arrays["c"].shape == () and arrays["c"] == 0.1
            print("ok")
            """;
        Assert.Equal("ok", RunPython(script, path));
    }

    [SafeTensorsPythonFact]
    public void WeReadAFileThatPythonWroteByTheSpec()
    {
        string path = PathOf("from-python.safetensors");
        const string script = """
            import json, struct, sys
            import numpy as np
            f32 = np.array([[1.5, -2.0], [3.25, 0.0]], dtype=np.float32)
            bf16 = (np.array([1.0, -0.5, 3.0], dtype=np.float32).view(np.uint32) >> 16).astype("<u2")
            tensors = [
                ("weight", "F32", f32.astype("<f4")),
                ("ids", "I64", np.array([7, -8, 1 << 50], dtype="<i8")),
                ("mean", "F64", np.array([0.1, -0.2], dtype="<f8")),
                ("counts", "I32", np.array([[1], [2], [3]], dtype="<i4")),
                ("half", "F16", np.array([0.5, -4.0], dtype="<f2")),
                ("brain", "BF16", bf16),
            ]
            header = {"__metadata__": {"written_by": "numpy"}}
            blobs, offset = [], 0
            for name, dtype, array in tensors:
                blob = array.tobytes()
                header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
                blobs.append(blob)
                offset += len(blob)
            text = json.dumps(header).encode("utf-8")
            text += b" " * ((8 - len(text) % 8) % 8)
            with open(sys.argv[1], "wb") as out:
                out.write(struct.pack("<Q", len(text)))
                out.write(text)
                for blob in blobs:
                    out.write(blob)
            print("ok")
            """;
        Assert.Equal("ok", RunPython(script, path));

        SafeTensorsFile file = SafeTensors.Read(path);
        Assert.Equal("numpy", file.Metadata["written_by"]);
        Assert.Equal(["weight", "ids", "mean", "counts", "half", "brain"], file.Names);
        Assert.Equal([2L, 2L], file["weight"].Shape);
        Assert.Equal([1.5f, -2f, 3.25f, 0f], file["weight"].ToFloat32());
        Assert.Equal([7L, -8L, 1L << 50], file["ids"].ToInt64());
        Assert.Equal([0.1f, -0.2f], file["mean"].ToFloat32());
        Assert.Equal([3L, 1L], file["counts"].Shape);
        Assert.Equal([1L, 2L, 3L], file["counts"].ToInt64());
        Assert.Equal([0.5f, -4f], file["half"].ToFloat32());
        Assert.Equal([1f, -0.5f, 3f], file["brain"].ToFloat32());
    }

    private static string RunPython(string script, string argument)
    {
        var start = new ProcessStartInfo(SafeTensorsPythonFactAttribute.Python, ["-c", script, argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "python did not finish in 120 s");
        Assert.True(process.ExitCode == 0, $"python exited with {process.ExitCode}: {error.Result}");
        return output.Trim();
    }

    private static void AssertRejected(string path, string problem)
    {
        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(path));
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ":", error.Message);
        Assert.Contains(problem, error.Problem);
    }

    /// <summary>A file of the given header (length prefix computed, no padding) followed by the given data bytes.</summary>
    private static void WriteRaw(string path, string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)json.Length);
        File.WriteAllBytes(path, [.. prefix, .. json, .. data]);
    }

    /// <summary>Passes writes through until <c>failAfter</c> bytes, then throws as a full disk would.</summary>
    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        public const string Message = "simulated failure: no space left on device";
        private long written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (written + buffer.Length > failAfter)
            {
                int allowed = (int)(failAfter - written);
                inner.Write(buffer[..allowed]);
                written = failAfter;
                throw new IOException(Message);
            }
            inner.Write(buffer);
            written += buffer.Length;
        }
    }
}
