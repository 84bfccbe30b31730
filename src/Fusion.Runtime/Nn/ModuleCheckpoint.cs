using Fusion.Runtime.Checkpoints;

namespace Fusion.Runtime.Nn;

/// <summary>
/// Saves a module's <see cref="Module.StateDict"/> to a safetensors file and loads it back. Keys
/// are the state-dict keys; values are F32 except <c>num_batches_tracked</c>, written as I64 as
/// PyTorch stores it. Loading accepts any floating or integer dtype (widened to float), so files
/// written by PyTorch's safetensors load too. Writes are atomic (temporary file, then rename).
/// </summary>
public static class ModuleCheckpoint
{
    /// <summary>Metadata key of the spec hash the parameters belong to.</summary>
    public const string SpecHashKey = "spec_hash";

    /// <summary>State-dict leaf names held as integers (int64) in PyTorch.</summary>
    private static readonly string[] IntegerLeaves = ["num_batches_tracked"];

    /// <summary>Writes the state dict of <paramref name="module"/> with <paramref name="metadata"/> (also gets "format": "pt").</summary>
    public static void Save(Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, module.StateDict(), metadata);

    /// <summary>
    /// Writes any state dict (for example a module's and an optimiser's, merged under prefixes such as
    /// "model." and "optimizer.") in the given key order, with the same dtype rules as <see cref="Save(Module, string, IReadOnlyDictionary{string, string}?)"/>.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> stateDict, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var arrays = new List<NamedArray>();
        foreach (var (key, tensor) in stateDict)
        {
            var values = tensor.ToArray();
            long[] shape = Array.ConvertAll(tensor.Shape.ToArray(), d => (long)d);
            if (IsInteger(key))
                arrays.Add(NamedArray.FromInt64(key, Array.ConvertAll(values, v => (long)MathF.Round(v)), shape));
            else
                arrays.Add(NamedArray.FromFloat32(key, values, shape));
        }
        var meta = new Dictionary<string, string> { ["format"] = "pt" };
        if (metadata is not null)
            foreach (var (k, v) in metadata) meta[k] = v;
        SafeTensors.Write(path, arrays, meta);
    }

    /// <summary>Reads a file into a state dict (tensors outside any dispose scope) and its metadata.</summary>
    public static OrderedDictionary<string, Tensor> ReadStateDict(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        var file = SafeTensors.Read(path);
        metadata = file.Metadata;
        var dict = new OrderedDictionary<string, Tensor>();
        foreach (var array in file.Tensors)
        {
            int[] shape = array.ShapeAsInt32();
            float[] values = IsFloating(array.DType)
                ? array.ToFloat32()
                : Array.ConvertAll(array.ToInt64(), v => (float)v);
            var tensor = shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape);
            dict.Add(array.Name, tensor.DetachFromScope());
        }
        return dict;
    }

    /// <summary>
    /// Loads a file into <paramref name="module"/> (see <see cref="Module.LoadStateDict"/>; strict by
    /// default). With <paramref name="expectedSpecHash"/>, a file whose spec hash differs is refused.
    /// Returns the file's metadata.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Load(Module module, string path, bool strict = true, string? expectedSpecHash = null)
    {
        var dict = ReadStateDict(path, out var metadata);
        try
        {
            if (expectedSpecHash is not null)
            {
                metadata.TryGetValue(SpecHashKey, out var found);
                if (found != expectedSpecHash)
                    throw new InvalidDataException($"Checkpoint '{path}' was written for spec hash {found ?? "(none)"}, expected {expectedSpecHash}.");
            }
            module.LoadStateDict(dict, strict);
            return metadata;
        }
        finally
        {
            foreach (var t in dict.Values) t.Dispose();
        }
    }

    private static bool IsInteger(string key)
    {
        string leaf = key[(key.LastIndexOf('.') + 1)..];
        return Array.IndexOf(IntegerLeaves, leaf) >= 0;
    }

    private static bool IsFloating(SafeTensorDType dtype) =>
        dtype is SafeTensorDType.F32 or SafeTensorDType.F64 or SafeTensorDType.F16 or SafeTensorDType.BF16;
}
