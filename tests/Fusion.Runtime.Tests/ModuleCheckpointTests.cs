using Fusion.Runtime.Checkpoints;
using Fusion.Runtime.Nn;

namespace Fusion.Runtime.Tests;

/// <summary>State dicts through safetensors files: round trip, dtypes, metadata, strictness.</summary>
public sealed class ModuleCheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("fusion-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Mlp Model(ulong seed) => new(6, [5, 4], 3, new RandomSource(seed), norm: MlpNorm.Batch);

    [Fact]
    public void StateDictRoundTripsBitForBit()
    {
        var a = Model(1);
        a.Forward(Tensor.Randn(new RandomSource(9), 8, 6)); // move running statistics and the batch count
        string path = Path.Combine(dir, "a.safetensors");
        ModuleCheckpoint.Save(a, path, new Dictionary<string, string> { [ModuleCheckpoint.SpecHashKey] = "abc123" });

        var b = Model(2);
        var meta = ModuleCheckpoint.Load(b, path, expectedSpecHash: "abc123");
        Assert.Equal("abc123", meta[ModuleCheckpoint.SpecHashKey]);
        Assert.Equal("pt", meta["format"]);
        var sa = a.StateDict();
        var sb = b.StateDict();
        Assert.Equal(sa.Keys, sb.Keys);
        foreach (var (key, t) in sa)
            Assert.Equal(t.ToArray().Select(BitConverter.SingleToInt32Bits), sb[key].ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(1f, sb["norms.0.num_batches_tracked"].Item());
    }

    [Fact]
    public void FileHoldsPyTorchDTypesAndShapes()
    {
        string path = Path.Combine(dir, "m.safetensors");
        ModuleCheckpoint.Save(Model(1), path);
        var file = SafeTensors.Read(path);
        Assert.Equal(SafeTensorDType.I64, file["norms.1.num_batches_tracked"].DType);
        Assert.Empty(file["norms.1.num_batches_tracked"].Shape);
        Assert.Equal(SafeTensorDType.F32, file["layers.0.weight"].DType);
        Assert.Equal([5L, 6L], file["layers.0.weight"].Shape);
    }

    [Fact]
    public void LoadIsStrictByDefaultAndChecksTheSpecHash()
    {
        string path = Path.Combine(dir, "m.safetensors");
        ModuleCheckpoint.Save(Model(1), path, new Dictionary<string, string> { [ModuleCheckpoint.SpecHashKey] = "h1" });
        var other = new Mlp(6, [5], 3, new RandomSource(1), norm: MlpNorm.Batch);
        var e = Assert.Throws<StateDictMismatchException>(() => ModuleCheckpoint.Load(other, path));
        Assert.Contains("layers.2.weight", e.UnexpectedKeys);
        Assert.Contains("layers.1.weight", e.ShapeMismatches.Select(s => s.Key));
        Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(Model(2), path, expectedSpecHash: "h2"));
    }

    [Fact]
    public void LoadsFloat64AndIntegerArraysWrittenByOthers()
    {
        string path = Path.Combine(dir, "f64.safetensors");
        var bn = new BatchNorm1d(2);
        SafeTensors.Write(path,
        [
            NamedArray.FromFloat64("weight", [1.5, 2.5], 2),
            NamedArray.FromFloat64("bias", [0.5, -0.5], 2),
            NamedArray.FromFloat64("running_mean", [0.25, 0.75], 2),
            NamedArray.FromFloat64("running_var", [2, 3], 2),
            NamedArray.FromInt64("num_batches_tracked", [7]),
        ]);
        ModuleCheckpoint.Load(bn, path);
        Assert.Equal([1.5f, 2.5f], bn.Weight!.ToArray());
        Assert.Equal([2f, 3f], bn.RunningVar.ToArray());
        Assert.Equal(7f, bn.NumBatchesTracked.Item());
    }
}
