using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Fusion.Runtime.Checkpoints;

/// <summary>
/// One tensor of a safetensors file: a name, a dtype, a shape and the raw little-endian bytes of its elements
/// in row-major order. Independent of the runtime's Tensor type.
/// </summary>
public sealed class NamedArray
{
    private readonly long[] shape;
    private readonly byte[] data;

    /// <summary>Wraps raw little-endian bytes; their length must be the element count times the dtype size.</summary>
    public NamedArray(string name, SafeTensorDType dtype, IReadOnlyList<long> shape, byte[] littleEndianData)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(littleEndianData);
        this.shape = [.. shape];
        long count = 1;
        foreach (long dim in this.shape)
        {
            if (dim < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape [{string.Join(", ", this.shape)}].", nameof(shape));
            count = checked(count * dim);
        }
        long bytes = checked(count * dtype.Size());
        if (littleEndianData.LongLength != bytes)
            throw new ArgumentException(
                $"Tensor '{name}' of dtype {dtype.Name()} and shape [{string.Join(", ", this.shape)}] needs {bytes} bytes, got {littleEndianData.LongLength}.",
                nameof(littleEndianData));
        Name = name;
        DType = dtype;
        ElementCount = count;
        data = littleEndianData;
    }

    public string Name { get; }

    public SafeTensorDType DType { get; }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape => shape;

    public long ElementCount { get; }

    /// <summary>The elements' bytes, little-endian, row-major.</summary>
    public ReadOnlySpan<byte> Bytes => data;

    public static NamedArray FromFloat32(string name, ReadOnlySpan<float> values, params ReadOnlySpan<long> shape) =>
        new(name, SafeTensorDType.F32, shape.ToArray(), ToLittleEndian(values));

    public static NamedArray FromFloat64(string name, ReadOnlySpan<double> values, params ReadOnlySpan<long> shape) =>
        new(name, SafeTensorDType.F64, shape.ToArray(), ToLittleEndian(values));

    public static NamedArray FromInt64(string name, ReadOnlySpan<long> values, params ReadOnlySpan<long> shape) =>
        new(name, SafeTensorDType.I64, shape.ToArray(), ToLittleEndian(values));

    public static NamedArray FromInt32(string name, ReadOnlySpan<int> values, params ReadOnlySpan<long> shape) =>
        new(name, SafeTensorDType.I32, shape.ToArray(), ToLittleEndian(values));

    /// <summary>The shape as int dimensions (throws if a dimension does not fit).</summary>
    public int[] ShapeAsInt32() => Array.ConvertAll(shape, d => checked((int)d));

    /// <summary>The elements as float: F32 as stored; F64 rounded; F16 and BF16 widened exactly.</summary>
    public float[] ToFloat32()
    {
        var result = new float[ElementCount];
        ReadOnlySpan<byte> bytes = data;
        switch (DType)
        {
            case SafeTensorDType.F32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(result);
                break;
            case SafeTensorDType.F32:
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                break;
            case SafeTensorDType.F64:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
                break;
            case SafeTensorDType.F16:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                break;
            case SafeTensorDType.BF16:
                for (int i = 0; i < result.Length; i++)
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
                break;
            default:
                throw new InvalidOperationException($"Tensor '{Name}' has dtype {DType.Name()}, which is not a floating-point type (F32, F64, F16, BF16).");
        }
        return result;
    }

    /// <summary>The elements as long: I64 as stored; I32, I16, I8, U32, U16, U8 and BOOL widened; U64 checked.</summary>
    public long[] ToInt64()
    {
        var result = new long[ElementCount];
        ReadOnlySpan<byte> bytes = data;
        if (DType == SafeTensorDType.I64 && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, long>(bytes).CopyTo(result);
            return result;
        }
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DType switch
            {
                SafeTensorDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]),
                SafeTensorDType.U64 => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..])),
                SafeTensorDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]),
                SafeTensorDType.U32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]),
                SafeTensorDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 2)..]),
                SafeTensorDType.U16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]),
                SafeTensorDType.I8 => (sbyte)bytes[i],
                SafeTensorDType.U8 or SafeTensorDType.BOOL => bytes[i],
                _ => throw new InvalidOperationException($"Tensor '{Name}' has dtype {DType.Name()}, which is not an integer type."),
            };
        }
        return result;
    }

    private static byte[] ToLittleEndian<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        byte[] bytes = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            for (int i = 0; i < bytes.Length; i += size) bytes.AsSpan(i, size).Reverse();
        }
        return bytes;
    }
}
