using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fusion.Runtime.Kernels;

/// <summary>
/// Per-thread packing buffer for the managed GEMM, allocated once per thread on the pinned heap and
/// reused by every call on that thread. The pointer is 64-byte aligned so packed B rows are whole cache lines.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    [ThreadStatic] private static GemmWorkspace? current;

    private float[] bBuffer = [];

    public static GemmWorkspace Current => current ??= new GemmWorkspace();

    /// <summary>Aligned pointer to at least <paramref name="count"/> floats for a packed B panel.</summary>
    public float* B(int count) => Aligned(ref bBuffer, count);

    private static float* Aligned(ref float[] buffer, int count)
    {
        const int Slack = 16; // floats, i.e. 64 bytes
        if (buffer.Length < count + Slack)
            buffer = GC.AllocateUninitializedArray<float>(count + Slack, pinned: true);
        // Pinned-heap arrays never move, so the address stays valid for the life of the array.
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        nint aligned = (address + 63) & ~(nint)63;
        return (float*)aligned;
    }
}
