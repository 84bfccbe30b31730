using System.Runtime.InteropServices;

namespace Fusion.Runtime.Kernels;

/// <summary>
/// Native bindings to OpenBLAS (libopenblas.so.0), resolved at run time with <see cref="NativeLibrary.TryLoad(string, out nint)"/>
/// so that a machine without the library simply reports <see cref="IsAvailable"/> = false.
/// </summary>
internal static unsafe class OpenBlas
{
    public const string LibraryName = "libopenblas.so.0";

    private const int CblasRowMajor = 101;
    private const int CblasNoTrans = 111;
    private const int CblasTrans = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    private static readonly delegate* unmanaged<byte*> GetCoreName;
    private static readonly delegate* unmanaged<int> GetNumThreads;

    static OpenBlas()
    {
        if (!TryLoad(LibraryName, out nint handle)) return;
        if (NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm))
            Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out nint coreName))
            GetCoreName = (delegate* unmanaged<byte*>)coreName;
        if (NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out nint numThreads))
            GetNumThreads = (delegate* unmanaged<int>)numThreads;
    }

    /// <summary>True when libopenblas.so.0 was found and exports cblas_sgemm.</summary>
    public static bool IsAvailable => Sgemm != null;

    /// <summary>The kernel family OpenBLAS picked for this CPU (e.g. "SkylakeX", "Haswell"), or null when unavailable.</summary>
    public static string? CoreName => GetCoreName == null ? null : Marshal.PtrToStringUTF8((nint)GetCoreName());

    /// <summary>Threads OpenBLAS uses for one call, or 0 when unavailable.</summary>
    public static int NumThreads => GetNumThreads == null ? 0 : GetNumThreads();

    /// <summary>Loads a native library by name, trying the default probing paths and the assembly's directory.</summary>
    internal static bool TryLoad(string name, out nint handle) =>
        NativeLibrary.TryLoad(name, typeof(OpenBlas).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out handle)
        || NativeLibrary.TryLoad(name, out handle);

    /// <summary>cblas_sgemm in row-major order. Arguments must already be validated (OpenBLAS reads raw memory).</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (Sgemm == null) throw new InvalidOperationException($"OpenBLAS ({LibraryName}) is not available on this machine.");
        Sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
