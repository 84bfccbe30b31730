namespace Fusion.Runtime.Kernels;

/// <summary>
/// Single-precision matrix product on row-major storage, computed by the managed SIMD GEMM or by OpenBLAS.
/// The environment variable FUSION_BLAS=managed|openblas forces a backend; otherwise <see cref="SelectBackend"/>
/// picks one per shape.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>Environment variable that forces a backend: "managed" or "openblas" (unset or "auto": choose per shape).</summary>
    public const string BackendVariable = "FUSION_BLAS";

    private static readonly GemmBackend? ConfiguredFromEnvironment;
    private static readonly string? ConfigurationError;
    private static readonly AsyncLocal<GemmBackend?> Forced = new();

    [ThreadStatic] private static GemmBackend? lastBackend;

    static Gemm() =>
        (ConfiguredFromEnvironment, ConfigurationError) =
            ParseBackendVariable(Environment.GetEnvironmentVariable(BackendVariable), OpenBlas.IsAvailable);

    /// <summary>The backend a FUSION_BLAS value forces (null: choose per shape), or the error every call will raise.</summary>
    internal static (GemmBackend? Backend, string? Error) ParseBackendVariable(string? value, bool openBlasAvailable) =>
        value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => (null, null),
            "managed" => (GemmBackend.Managed, null),
            "openblas" when openBlasAvailable => (GemmBackend.OpenBlas, null),
            "openblas" => (GemmBackend.OpenBlas,
                $"{BackendVariable}=openblas but {OpenBlas.LibraryName} could not be loaded (install libopenblas0, or unset {BackendVariable})."),
            _ => (null, $"{BackendVariable}='{value.Trim()}' is not a GEMM backend; use 'managed', 'openblas' or 'auto'."),
        };

    /// <summary>True when OpenBLAS (libopenblas.so.0) is loaded and usable.</summary>
    public static bool OpenBlasAvailable => OpenBlas.IsAvailable;

    /// <summary>The backend forced by FUSION_BLAS, or null when it is unset (choose per shape).</summary>
    public static GemmBackend? ConfiguredBackend => ConfiguredFromEnvironment;

    /// <summary>The backend that ran the most recent <see cref="Multiply"/> on the calling thread (null before the first call).</summary>
    public static GemmBackend? LastBackend => lastBackend;

    /// <summary>
    /// The backend <see cref="Multiply"/> uses for an m x k by k x n product: a forced one (test scope, then FUSION_BLAS)
    /// if any, else the default from measurements (docs in <see cref="DefaultBackend"/>).
    /// </summary>
    public static GemmBackend SelectBackend(int m, int n, int k)
    {
        if (ConfigurationError is not null) throw new InvalidOperationException(ConfigurationError);
        return Forced.Value ?? ConfiguredFromEnvironment ?? DefaultBackend(m, n, k);
    }

    /// <summary>Products below this many flops (2 m n k) go to OpenBLAS when it is present: its per-call cost is lower.</summary>
    public const long SmallProductFlops = 1 << 18;

    /// <summary>
    /// The unforced choice, from tests/Fusion.Benchmarks ("gemm", "gemm-threads") on the 2-core AVX-512 development
    /// machine (AMD EPYC, 512-bit FMA at half rate, OpenBLAS 0.3.21 'Cooperlake' or 'Haswell' kernels):
    /// the managed GEMM matches or beats OpenBLAS from about 32x300x64 up (256x300x256, 256x8000x64, 1024^3: 5-50%
    /// faster with both cores), while OpenBLAS is 1.3-5x faster on tiny products (under 2^18 flops, e.g. 16^3),
    /// on products with fewer than 16 columns (classifier and regression heads) and on 1-3 row products.
    /// So: managed, except those shape classes when OpenBLAS is present.
    /// </summary>
    public static GemmBackend DefaultBackend(int m, int n, int k)
    {
        if (!OpenBlas.IsAvailable) return GemmBackend.Managed;
        bool small = 2.0 * m * n * k < SmallProductFlops;
        bool skinny = n < 16 || m < 4;
        return small || skinny ? GemmBackend.OpenBlas : GemmBackend.Managed;
    }

    /// <summary>
    /// Forces a backend for <see cref="Multiply"/> calls made in the current execution context (flows into awaited
    /// and child tasks) until the returned scope is disposed. Forcing OpenBLAS when it is absent throws.
    /// </summary>
    internal static IDisposable ForceBackend(GemmBackend backend)
    {
        if (backend == GemmBackend.OpenBlas && !OpenBlas.IsAvailable)
            throw new InvalidOperationException($"Cannot force OpenBLAS: {OpenBlas.LibraryName} is not available.");
        GemmBackend? previous = Forced.Value;
        Forced.Value = backend;
        return new Scope(previous);
    }

    private sealed class Scope(GemmBackend? previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            Forced.Value = previous;
        }
    }

    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, all row-major. op(A) is m x k, op(B) is k x n, C is m x n.
    /// lda, ldb, ldc are the row strides of A, B, C as stored (before the transpose).
    /// When beta is 0, C is only written (its old contents, NaN included, are ignored).
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        RequireMatrix(a.Length, transA ? k : m, transA ? m : k, lda, nameof(a), nameof(lda));
        RequireMatrix(b.Length, transB ? n : k, transB ? k : n, ldb, nameof(b), nameof(ldb));
        RequireMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (m == 0 || n == 0) return;

        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            lastBackend = GemmBackend.Managed;
            return;
        }

        GemmBackend backend = SelectBackend(m, n, k);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (backend == GemmBackend.OpenBlas)
                OpenBlas.Multiply(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            else
                ManagedGemm.Multiply(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc,
                    ManagedGemm.ThreadsFor(m, n, k), ManagedGemm.Vector512Available);
        }
        lastBackend = backend;
    }

    /// <summary>A rows x cols matrix with row stride ld must fit in the span, and ld must cover a row.</summary>
    private static void RequireMatrix(int length, int rows, int cols, int ld, string name, string ldName)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldName, ld, $"{ldName} must be at least max(1, {cols}), the stored row width of {name}.");
        if (rows == 0 || cols == 0) return;
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"{name} holds {length} elements but a {rows} x {cols} matrix with row stride {ld} needs {needed}.", name);
    }

    private static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0f) row.Clear();
            else if (beta != 1f)
                for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }
}
